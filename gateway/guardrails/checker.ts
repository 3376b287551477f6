// What a guardrail's checker is to the gateway, whether built in or a remote service asked over HTTP with the
// guardrail's timeout.
import type { BuiltInChecker } from '../../kernel/guardrail-checks.ts';

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
