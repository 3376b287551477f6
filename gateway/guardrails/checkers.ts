// The checker of each guardrail, built once per config: the kernel's built-in ones (synchronous, also run on
// stream windows) or a remote service (moderation, Presidio, a team's webhook).
import type { IRGuardrail } from '../../compiler/ir/types.ts';
import { type BuiltInChecker, builtInChecker } from '../../kernel/guardrail-checks.ts';
import type { SecretResolver } from '../secrets.ts';
import type { Checker, CheckResult } from './checker.ts';
import { moderationChecker } from './moderation.ts';
import { presidioChecker } from './presidio.ts';
import { webhookChecker } from './webhook.ts';

export function createChecker(g: IRGuardrail, secrets: SecretResolver): Checker {
  const c = g.check;
  switch (c.type) {
    case 'moderation':
      return moderationChecker(c, c.credential && secrets(c.credential));
    case 'presidio':
      return presidioChecker(c);
    case 'webhook':
      return webhookChecker(g.name, c, c.credential && secrets(c.credential));
    default:
      return { builtIn: builtInChecker(c) };
  }
}

/** A built-in checker's answer, synchronously (what the gateway runs inline). */
export function builtInResult(builtIn: BuiltInChecker, texts: string[], mask: boolean): CheckResult | undefined {
  // Together, so that the size cap counts every text; the detectors cannot match across the separator.
  const categories = builtIn.find(texts.length === 1 ? texts[0]! : texts.join('\n'));
  if (categories.length === 0) return undefined; // the usual clean text: no result to allocate
  const masked = mask && builtIn.mask ? texts.map(builtIn.mask) : undefined;
  return masked ? { categories: [...categories], masked } : { categories: [...categories] };
}
