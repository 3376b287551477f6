// One checker per guardrail, built once per config: the kernel's built-in ones (synchronous, also run on stream
// windows) or a remote service (moderation, Presidio, a team's webhook), each asked over HTTP with the
// guardrail's timeout.
import type { IRGuardrail } from '../../compiler/ir/types.ts';
import { type BuiltInChecker, builtInChecker } from '../../kernel/guardrail-checks.ts';
import type { SecretResolver } from '../secrets.ts';
import { moderationChecker } from './moderation.ts';
import { presidioChecker } from './presidio.ts';
import { webhookChecker } from './webhook.ts';

export type Stage = 'request' | 'response';

/** What matched (categories, never the text), and for `mask` the texts rewritten, one per text checked. */
export interface CheckResult {
  categories: string[];
  masked?: string[];
}

export interface Checker {
  /** Set for the built-in checkers: the stream guard runs it inline on its window. */
  readonly builtIn?: BuiltInChecker;
  /** Checks the texts; `mask` asks for the rewritten texts too. Rejects when the checker cannot answer. */
  check(texts: string[], stage: Stage, mask: boolean, signal: AbortSignal): Promise<CheckResult>;
}

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
      return localChecker(builtInChecker(c));
  }
}

function localChecker(builtIn: BuiltInChecker): Checker {
  return {
    builtIn,
    check(texts, _stage, mask) {
      // Together, so that the size cap counts every text; the detectors cannot match across the separator.
      const categories = builtIn.find(texts.join('\n'));
      const masked = mask && categories.length && builtIn.mask ? texts.map(builtIn.mask) : undefined;
      return Promise.resolve(masked ? { categories, masked } : { categories });
    },
  };
}
