// What a guardrail's checker is to the gateway, whether built in or a remote service asked over HTTP with the
// guardrail's timeout.
import type { BuiltInChecker } from '../../kernel/guardrail-checks.ts';

export type Stage = 'request' | 'response';

/** What matched (categories, never the text), and for `mask` the texts rewritten, one per text checked. */
export interface CheckResult {
  categories: string[];
  masked?: string[];
}

/** A built-in checker, run inline and synchronously (on a stream's window too), or a remote one. */
export type Checker = { readonly builtIn: BuiltInChecker } | RemoteChecker;

export interface RemoteChecker {
  readonly builtIn?: undefined;
  /** Checks the texts; `mask` asks for the rewritten texts too. Rejects when the checker cannot answer. */
  check(texts: string[], stage: Stage, mask: boolean, signal: AbortSignal): Promise<CheckResult>;
}
