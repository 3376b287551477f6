// Request and token rate limits and monthly budgets per (access policy, consumer), in memory or Redis.
import type { IRAccessPolicy, IRLimitStore } from '../../compiler/ir/types.ts';
import type { RedisEvents } from '../redis-client.ts';
import type { SecretResolver } from '../secrets.ts';
import {
  hasLimits,
  type LimitDecision,
  type Limiter,
  type Moment,
  NANO,
  type NumericLimits,
  numericLimits,
  UNLIMITED,
} from './decision.ts';
import { createMemoryCounters } from './memory.ts';
import { createRedisCounters } from './redis.ts';
import { createMonthClock, elapsedIn, windowOf } from './window.ts';

export type { LimitDecision, Limiter, LimitKey } from './decision.ts';

/** What `onUnavailable: allow` answers while the store is unreachable; shared and never mutated. */
export const BYPASSED: LimitDecision = Object.freeze({
  allowed: true,
  unavailable: true,
  headers: Object.freeze({ 'x-modelgate-limits': 'unavailable' }) as Record<string, string>,
});
const bypassed = () => BYPASSED;
const DONE = Promise.resolve();

/**
 * Requests are counted when admitted; tokens and spend when `record`ed after the response. A request
 * is refused once this minute's tokens or this month's spend (UTC) has reached its limit, so a budget
 * is overspent by at most the cost of the requests in flight when it was reached.
 *
 * Limits are read from the policy on every call and counters are keyed by policy and consumer
 * names, so one limiter can outlive config reloads. A policy without limits never touches the store.
 * With Redis, a failed command rejects (the caller answers 503): limits fail closed; with
 * `onUnavailable: allow` it resolves to BYPASSED instead (fail open). Either answer is immediate once the
 * store is known down (see redis-client.ts). In memory there
 * is one counter per (policy, consumer) pair of the config, so a memory store's maxEntries has no use.
 */
export function createLimiter(
  store: IRLimitStore,
  secrets: SecretResolver,
  clock: () => number = Date.now,
  events: RedisEvents = { onError: () => {} },
): Limiter {
  const counters = store.type === 'redis' ? createRedisCounters(store, secrets, events) : createMemoryCounters();
  const failOpen = store.type === 'redis' && store.onUnavailable === 'allow';
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
      if (!hasLimits(key.policy.limits)) return UNLIMITED;
      const decided = counters.admit(key, limitsOf(key.policy), moment());
      return failOpen && decided instanceof Promise ? decided.catch(bypassed) : decided;
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
