// Which provider models serve a request and in what order (the route's strategy, skipping open circuits), and the
// retry/fallback loop over them.
import type { IRModel, IRRoute } from '../compiler/ir/types.ts';
import { rankingPrice } from '../kernel/ranking-price.ts';
import { GatewayError } from './errors.ts';
import { REFUSED, type Outcome } from './health/breaker.ts';
import type { ModelHealth } from './health/board.ts';
import type { ProviderRuntime } from './providers/index.ts';
import { UpstreamFailure } from './providers/upstream-errors.ts';
import { pick, weighted, type Weighted } from './weighted.ts';

export interface Candidate {
  provider: ProviderRuntime;
  model: IRModel;
  health: ModelHealth;
}

/** A route as one access policy may use it: its targets and fallbacks, both already filtered. */
export interface RoutePlan {
  strategy: IRRoute['strategy'];
  /** For `weighted`. */
  targets: Weighted<Candidate>;
  /** The targets in the order `priority` and `lowest-cost` try them; as written for `lowest-latency`. */
  ordered: readonly Candidate[];
  /** The fallbacks that are not also targets (for `weighted`: all of them). */
  fallbacks: readonly Candidate[];
}

/** The plan of a route's permitted targets (with their weights) and fallbacks. */
export function routePlan(
  strategy: IRRoute['strategy'],
  targets: readonly { value: Candidate; weight: number }[],
  fallbacks: readonly Candidate[],
): RoutePlan {
  const listed = targets.map((t) => t.value);
  const ordered = strategy === 'lowest-cost' ? [...listed].sort((a, b) => rankingPrice(a.model) - rankingPrice(b.model)) : listed;
  return {
    strategy,
    targets: weighted(targets),
    ordered,
    fallbacks: strategy === 'weighted' ? fallbacks : fallbacks.filter((f) => !listed.includes(f)),
  };
}

/** The candidates of one request, in the order they are tried. */
export function candidateOrder(plan: RoutePlan): Candidate[] {
  switch (plan.strategy) {
    case 'weighted': {
      const first = pickAvailable(plan.targets);
      return first ? [first, ...plan.fallbacks.filter((f) => f !== first)] : [...plan.fallbacks];
    }
    case 'lowest-latency': {
      const now = performance.now();
      const means = new Map(plan.ordered.map((c) => [c, c.health.latency.mean(now)]));
      return [...plan.ordered].sort((a, b) => means.get(a)! - means.get(b)!).concat(plan.fallbacks);
    }
    default:
      return plan.ordered.concat(plan.fallbacks);
  }
}

/** The weighted pick; when its circuit is open, a pick among the targets whose circuit is not. */
function pickAvailable(targets: Weighted<Candidate>): Candidate | undefined {
  const first = pick(targets);
  if (!first || first.health.breaker.available()) return first;
  return pick(weighted(targets.items.filter((i) => i.value.health.breaker.available()))) ?? first;
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
 * Tries the candidates in the route strategy's order. A candidate is retried (after a doubling backoff) while its
 * failure is retryable; a non-retryable failure ends the request at once. Retries on one candidate are bounded by
 * both the route's `retry.attempts` and the provider's `retries`. A candidate whose circuit is open is skipped
 * without waiting; when every one is, the request fails at once with a 503 saying when to retry.
 */
export async function withFallbacks<T>(
  plan: RoutePlan,
  o: AttemptOptions,
  attempt: (c: Candidate, timeoutMs: number) => Promise<T>,
): Promise<T> {
  const order = candidateOrder(plan);
  let lastFailure: UpstreamFailure | undefined;
  for (const candidate of order) {
    const { breaker, latency } = candidate.health;
    const retries = Math.min(o.route.retry.attempts, candidate.provider.ir.retries);
    for (let retry = 0; retry <= retries; retry++) {
      const remaining = o.deadline - performance.now();
      if (remaining <= 0 || o.isCancelled()) throw lastFailure ?? new UpstreamFailure(o.isCancelled() ? 'cancelled' : 'timeout');
      const ticket = breaker.acquire();
      if (ticket === REFUSED) break;
      o.log.attempts++;
      o.log.last = candidate;
      const started = performance.now();
      let outcome: Outcome = 'neutral';
      try {
        const value = await attempt(candidate, Math.min(candidate.provider.ir.timeoutMs, remaining));
        outcome = 'success';
        const ended = performance.now();
        latency.add(ended - started, ended);
        o.onAttempt?.(candidate, 'ok', ended - started);
        return value;
      } catch (err) {
        if (!(err instanceof UpstreamFailure)) throw err;
        if (failsModel(err)) outcome = 'failure';
        o.onAttempt?.(candidate, err.kind === 'status' ? String(err.status) : err.kind, performance.now() - started);
        lastFailure = err;
        if (err.answered || !retryable(err, o.route)) throw err;
        const delay = o.route.retry.backoffMs * 2 ** retry;
        if (retry === retries || retryAfterMs(err) > delay || performance.now() + delay >= o.deadline) break;
        await new Promise((resolve) => setTimeout(resolve, delay));
      } finally {
        breaker.record(ticket, outcome);
        o.log.upstreamMs += performance.now() - started;
      }
    }
  }
  if (lastFailure) throw lastFailure;
  throw allOpen(o.route, order);
}

/** No attempt was made: every candidate's circuit is open. A 503 saying when the first one lets a probe through. */
function allOpen(route: IRRoute, order: readonly Candidate[]): GatewayError {
  const waitMs = Math.min(...order.map((c) => c.health.breaker.retryAfterMs()));
  return new GatewayError(
    503,
    'api_error',
    'circuit_open',
    `Every provider model of "${route.name}" is failing (its circuit breaker is open). Retry later.`,
    { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) },
  );
}

/** What counts against a model's circuit: its 5xx answers, timeouts and dropped connections; never a 4xx. */
function failsModel(f: UpstreamFailure): boolean {
  return f.kind === 'timeout' || f.kind === 'reset' || (f.kind === 'status' && f.status >= 500);
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
