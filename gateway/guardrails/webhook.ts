// A team's own checker, by the contract of docs/guardrails.md: `POST {guardrail, stage, texts}`, answered by
// `{verdict: "allow" | "deny", categories?: string[], texts?: string[]}`. `deny` is a match (the guardrail's
// action decides what follows); `texts`, one per text sent, are the rewritten texts a `mask` guardrail sends on.
import type { IRGuardrailCheck } from '../../compiler/ir/types.ts';
import type { RemoteChecker } from './checker.ts';
import { postJson } from './post-json.ts';

type Webhook = Extract<IRGuardrailCheck, { type: 'webhook' }>;

const CATEGORY = /^[\w.:-]{1,64}$/;

export function webhookChecker(guardrail: string, w: Webhook, credential: string | null): RemoteChecker {
  return {
    async check(texts, stage, _mask, signal) {
      const answer = await postJson(w.url, { guardrail, stage, texts }, signal, credential);
      if (answer?.verdict === 'allow') return { categories: [] };
      if (answer?.verdict !== 'deny') throw new Error('no verdict');
      // Categories become metric labels: only short names are kept, so the service cannot echo the text into them.
      const named = Array.isArray(answer.categories)
        ? answer.categories.filter((c: unknown) => typeof c === 'string' && CATEGORY.test(c))
        : [];
      const categories = named.length ? [...new Set<string>(named)].sort() : ['webhook'];
      const rewritten = answer.texts;
      const masked =
        Array.isArray(rewritten) && rewritten.length === texts.length && rewritten.every((t: unknown) => typeof t === 'string')
          ? rewritten
          : undefined;
      return masked ? { categories, masked } : { categories };
    },
  };
}
