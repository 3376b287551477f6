// An OpenAI-compatible moderations endpoint: `POST {input: [texts], model?}`, answered by one result per text
// with `categories` (flags) and `category_scores`. A category matches when its score reaches the configured
// threshold, or, without one, when the service flags it.
import type { IRGuardrailCheck } from '../../compiler/ir/types.ts';
import type { RemoteChecker } from './checker.ts';
import { postJson } from './post-json.ts';

type Moderation = Extract<IRGuardrailCheck, { type: 'moderation' }>;

interface ModerationResult {
  categories?: Record<string, boolean>;
  category_scores?: Record<string, number>;
}

export function moderationChecker(m: Moderation, credential: string | null): RemoteChecker {
  return {
    async check(texts, _stage, _mask, signal) {
      const answer = await postJson(m.url, { input: texts, ...(m.model ? { model: m.model } : {}) }, signal, credential);
      if (!Array.isArray(answer?.results)) throw new Error('no results');
      const found = new Set<string>();
      for (const r of answer.results as ModerationResult[]) {
        const names = new Set([...Object.keys(r.categories ?? {}), ...Object.keys(r.category_scores ?? {})]);
        for (const name of names) {
          const threshold = m.thresholds[name];
          const hit = threshold === undefined ? r.categories?.[name] === true : (r.category_scores?.[name] ?? 0) >= threshold;
          if (hit) found.add(`moderation:${name}`);
        }
      }
      return { categories: [...found].sort() };
    },
  };
}
