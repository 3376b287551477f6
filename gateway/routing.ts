// Which provider models serve a request and in what order, and the retry/fallback loop over them.
import type { IRModel, IRRoute } from '../compiler/ir/types.ts';
import type { ProviderRuntime } from './providers/index.ts';
import { UpstreamFailure } from './providers/upstream-errors.ts';
import { pick, type Weighted } from './weighted.ts';

export interface Candidate {
  provider: ProviderRuntime;
  model: IRModel;
}

/** A route as one access policy may use it: its weighted targets and fallbacks, both already filtered. */
export interface RoutePlan {
  targets: Weighted<Candidate>;
  fallbacks: readonly Candidate[];
}

/** What the attempts did, for the usage log and metrics; filled in as they happen. */
export interface AttemptLog {
  attempts: number;
  upstreamMs: number;
  last: Candidate | undefined;
}

export interface AttemptOptions {
  route: IRRoute;
  /** `performance.now()` value after which no attempt starts and the one in flight is cut short. */
  deadline: number;
  log: AttemptLog;
  isCancelled: () => boolean;
  onAttempt?: (c: Candidate, outcome: string, ms: number) => void;
}

/**
 * Tries the weighted pick, then each fallback in order. A candidate is retried (after a doubling backoff) while
 * its failure is retryable; a non-retryable failure ends the request at once. Retries on one candidate are
 * bounded by both the route's `retry.attempts` and the provider's `retries`.
 */
export async function withFallbacks<T>(
  plan: RoutePlan,
  o: AttemptOptions,
  attempt: (c: Candidate, timeoutMs: number) => Promise<T>,
): Promise<T> {
  const first = pick(plan.targets);
  const order = first ? [first, ...plan.fallbacks.filter((f) => f !== first)] : [...plan.fallbacks];
  let lastFailure: UpstreamFailure | undefined;
  for (const candidate of order) {
    const retries = Math.min(o.route.retry.attempts, candidate.provider.ir.retries);
    for (let retry = 0; retry <= retries; retry++) {
      const remaining = o.deadline - performance.now();
      if (remaining <= 0 || o.isCancelled()) throw lastFailure ?? new UpstreamFailure(o.isCancelled() ? 'cancelled' : 'timeout');
      o.log.attempts++;
      o.log.last = candidate;
      const started = performance.now();
      try {
        const value = await attempt(candidate, Math.min(candidate.provider.ir.timeoutMs, remaining));
        o.onAttempt?.(candidate, 'ok', performance.now() - started);
        return value;
      } catch (err) {
        if (!(err instanceof UpstreamFailure)) throw err;
        o.onAttempt?.(candidate, err.kind === 'status' ? String(err.status) : err.kind, performance.now() - started);
        lastFailure = err;
        if (!retryable(err, o.route)) throw err;
        const delay = o.route.retry.backoffMs * 2 ** retry;
        if (retry === retries || retryAfterMs(err) > delay || performance.now() + delay >= o.deadline) break;
        await new Promise((resolve) => setTimeout(resolve, delay));
      } finally {
        o.log.upstreamMs += performance.now() - started;
      }
    }
  }
  throw lastFailure ?? new UpstreamFailure('reset');
}

export function retryable(f: UpstreamFailure, route: IRRoute): boolean {
  switch (f.kind) {
    case 'status':
      // Anthropic's 529 (overloaded) is what everyone else calls 503.
      return route.retry.statuses.includes(f.status) || (f.status === 529 && route.retry.statuses.includes(503));
    case 'timeout':
      return route.retry.onTimeout;
    case 'reset':
      return route.retry.onReset;
    default:
      return false;
  }
}

/** A provider asking to wait longer than our backoff is better left for the next fallback. */
function retryAfterMs(f: UpstreamFailure): number {
  const seconds = Number(f.retryAfter);
  return Number.isFinite(seconds) ? seconds * 1000 : 0;
}
