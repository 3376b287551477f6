// Counters in this process: exact for one replica, lost on restart. JavaScript runs one admit at a
// time, so check-then-count is atomic without locks.
import type { CounterStore, LimitKey, Moment, NumericLimits } from './decision.ts';
import { toDecision } from './decision.ts';
import { slidingCount } from './window.ts';

class Counter {
  window = -1;
  requestsPrevious = 0;
  requestsCurrent = 0;
  tokensPrevious = 0;
  tokensCurrent = 0;
  month = -1;
  spentNanoUsd = 0;

  /** Moves to `at`'s window and month: the current window becomes the previous one, older ones go. */
  advance(at: Moment): this {
    if (this.window !== at.window) {
      const adjacent = this.window === at.window - 1;
      this.requestsPrevious = adjacent ? this.requestsCurrent : 0;
      this.tokensPrevious = adjacent ? this.tokensCurrent : 0;
      this.requestsCurrent = 0;
      this.tokensCurrent = 0;
      this.window = at.window;
    }
    if (this.month !== at.month.index) {
      this.month = at.month.index;
      this.spentNanoUsd = 0;
    }
    return this;
  }
}

/**
 * One counter per (policy, consumer) pair that has limits; both come from the config, so the
 * number of counters is bounded by it. Once a minute, counters idle for two windows and holding no
 * spend of the current month are dropped.
 */
export function createMemoryCounters(): CounterStore {
  const counters = new Map<string, Map<string, Counter>>();
  let sweptAt = -1;

  function sweep(at: Moment): void {
    sweptAt = at.window;
    for (const [policy, byConsumer] of counters) {
      for (const [consumer, c] of byConsumer) {
        if (c.window < at.window - 1 && (c.month !== at.month.index || c.spentNanoUsd === 0)) byConsumer.delete(consumer);
      }
      if (byConsumer.size === 0) counters.delete(policy);
    }
  }

  function counterFor(key: LimitKey, at: Moment): Counter {
    if (at.window !== sweptAt) sweep(at);
    let byConsumer = counters.get(key.policy.name);
    if (!byConsumer) counters.set(key.policy.name, (byConsumer = new Map()));
    let counter = byConsumer.get(key.consumer);
    if (!counter) byConsumer.set(key.consumer, (counter = new Counter()));
    return counter.advance(at);
  }

  return {
    admit(key, limits: NumericLimits, at) {
      const c = counterFor(key, at);
      let refused: 'requests' | 'tokens' | 'budget' | undefined;
      if (limits.budgetNanoUsd > 0 && c.spentNanoUsd >= limits.budgetNanoUsd) refused = 'budget';
      else if (limits.tokens > 0 && slidingCount(c.tokensPrevious, c.tokensCurrent, at.elapsed) >= limits.tokens) refused = 'tokens';
      else if (limits.requests > 0 && slidingCount(c.requestsPrevious, c.requestsCurrent, at.elapsed) >= limits.requests)
        refused = 'requests';
      else if (limits.requests > 0) c.requestsCurrent++;
      // The counter itself as the snapshot: a copy per request is garbage.
      return toDecision(refused, c, limits, at);
    },
    record(key, tokens, nanoUsd, at) {
      const c = counterFor(key, at);
      c.tokensCurrent += tokens;
      c.spentNanoUsd += nanoUsd;
      return Promise.resolve();
    },
    close() {
      counters.clear();
      return Promise.resolve();
    },
  };
}
