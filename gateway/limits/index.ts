// Request and token rate limits and monthly budgets per (access policy, consumer), in memory or Redis.
import type { IRAccessPolicy, IRStore } from '../../compiler/ir/types.ts';
import type { SecretResolver } from '../secrets.ts';
import { hasLimits, type Limiter, type Moment, NANO, type NumericLimits, numericLimits, UNLIMITED } from './decision.ts';
import { createMemoryCounters } from './memory.ts';
import { createRedisCounters } from './redis.ts';
import { createMonthClock, elapsedIn, windowOf } from './window.ts';

export type { LimitDecision, Limiter, LimitKey } from './decision.ts';

const ADMITTED = Promise.resolve(UNLIMITED);
const DONE = Promise.resolve();

/**
 * Requests are counted when admitted; tokens and spend when `record`ed after the response. A request
 * is refused once this minute's tokens or this month's spend (UTC) has reached its limit, so a budget
 * is overspent by at most the cost of the requests in flight when it was reached.
 *
 * Limits are read from the policy on every call and counters are keyed by policy and consumer
 * names, so one limiter can outlive config reloads. A policy without limits never touches the store.
 * With Redis, a failed command rejects (the caller answers 503): limits fail closed. In memory there
 * is one counter per (policy, consumer) pair of the config, so a memory store's maxEntries has no use.
 */
export function createLimiter(
  store: IRStore,
  secrets: SecretResolver,
  clock: () => number = Date.now,
  onError: (err: Error) => void = () => {},
): Limiter {
  const counters = store.type === 'redis' ? createRedisCounters(store, secrets, onError) : createMemoryCounters();
  const monthOf = createMonthClock();
  const numeric = new WeakMap<IRAccessPolicy['limits'], NumericLimits>();
  const limitsOf = (policy: IRAccessPolicy): NumericLimits => {
    let limits = numeric.get(policy.limits);
    if (!limits) numeric.set(policy.limits, (limits = numericLimits(policy.limits)));
    return limits;
  };
  const moment = (): Moment => {
    const now = clock();
    return { now, window: windowOf(now), elapsed: elapsedIn(now), month: monthOf(now) };
  };

  return {
    admit(key) {
      if (!hasLimits(key.policy.limits)) return ADMITTED;
      return counters.admit(key, limitsOf(key.policy), moment());
    },
    record(key, usage) {
      const limits = limitsOf(key.policy);
      const tokens = limits.tokens > 0 && usage.tokens > 0 ? Math.round(usage.tokens) : 0;
      const nanoUsd = limits.budgetNanoUsd > 0 && usage.costUsd > 0 ? Math.round(usage.costUsd * NANO) : 0;
      if (tokens === 0 && nanoUsd === 0) return DONE;
      return counters.record(key, tokens, nanoUsd, moment());
    },
    close: () => counters.close(),
  };
}
