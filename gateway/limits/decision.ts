// The limiter's contract, and how a store's counter snapshot becomes a decision with OpenAI-style headers.
import type { IRAccessPolicy } from '../../compiler/ir/types.ts';
import { formatReset, msUntil, slidingCount } from './window.ts';

export interface LimitKey {
  consumer: string;
  policy: IRAccessPolicy;
}

export interface LimitDecision {
  allowed: boolean;
  reason?: 'requests' | 'tokens' | 'budget';
  /** Whole seconds until a retry can succeed, when refused; for the `retry-after` header. */
  retryAfterSeconds?: number;
  /** `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` for the limits the policy sets. */
  headers: Record<string, string>;
  /** Allowed unlimited and uncounted because the store is unreachable (`onUnavailable: allow`). */
  unavailable?: true;
}

export interface Limiter {
  /**
   * Refuses when a limit is reached; otherwise counts the request (atomically, across replicas with Redis). A
   * promise only when the counters are remote (Redis): in memory the request need not wait a turn for its answer.
   */
  admit(key: LimitKey): LimitDecision | Promise<LimitDecision>;
  /** Adds a finished request's tokens to this minute and its cost to this month. */
  record(key: LimitKey, usage: { tokens: number; costUsd: number }): Promise<void>;
  close(): Promise<void>;
}

/** When a store decides: `now` with its minute window and calendar month (UTC) worked out once. */
export interface Moment {
  now: number;
  window: number;
  elapsed: number;
  month: { index: number; start: number; end: number };
}

/** A place counters live. Each admit is one atomic step: check every limit, then count the request. */
export interface CounterStore {
  admit(key: LimitKey, limits: NumericLimits, at: Moment): LimitDecision | Promise<LimitDecision>;
  record(key: LimitKey, tokens: number, nanoUsd: number, at: Moment): Promise<void>;
  close(): Promise<void>;
}

/** What a store's atomic admit yields besides its verdict: the counters after it. */
export interface CounterSnapshot {
  requestsPrevious: number;
  requestsCurrent: number;
  tokensPrevious: number;
  tokensCurrent: number;
}

/** The limits, as the integers both stores compare (budget in nano-USD so that sums are exact). */
export interface NumericLimits {
  requests: number;
  tokens: number;
  budgetNanoUsd: number;
}

export const NANO = 1e9;

/** A limit that is not set is 0, which both stores read as "no limit". */
export function numericLimits(limits: IRAccessPolicy['limits']): NumericLimits {
  return {
    requests: limits.requestsPerMinute ?? 0,
    tokens: limits.tokensPerMinute ?? 0,
    budgetNanoUsd: limits.monthlyBudgetUsd === undefined ? 0 : Math.round(limits.monthlyBudgetUsd * NANO),
  };
}

export const hasLimits = (limits: IRAccessPolicy['limits']): boolean =>
  limits.requestsPerMinute !== undefined || limits.tokensPerMinute !== undefined || limits.monthlyBudgetUsd !== undefined;

/** Everything allowed, no headers: the answer for a policy without limits, shared and never mutated. */
export const UNLIMITED: LimitDecision = Object.freeze({ allowed: true, headers: Object.freeze({}) as Record<string, string> });

const HEADERS = {
  requests: ['x-ratelimit-limit-requests', 'x-ratelimit-remaining-requests', 'x-ratelimit-reset-requests'],
  tokens: ['x-ratelimit-limit-tokens', 'x-ratelimit-remaining-tokens', 'x-ratelimit-reset-tokens'],
} as const;

/** Writes one counter's headers; returns the milliseconds until it has room for one more. */
function describeCounter(
  kind: keyof typeof HEADERS,
  limit: number,
  previous: number,
  current: number,
  elapsed: number,
  headers: Record<string, string>,
): number {
  const [limitHeader, remainingHeader, resetHeader] = HEADERS[kind];
  headers[limitHeader] = String(limit);
  headers[remainingHeader] = String(Math.max(0, limit - slidingCount(previous, current, elapsed)));
  headers[resetHeader] = formatReset(msUntil(previous, current, elapsed, limit, limit));
  return msUntil(previous, current, elapsed, limit, 1);
}

export function toDecision(
  refused: 'requests' | 'tokens' | 'budget' | undefined,
  snapshot: CounterSnapshot,
  limits: NumericLimits,
  at: Moment,
): LimitDecision {
  const headers: Record<string, string> = {};
  let waitMs = 0;
  if (limits.requests > 0) {
    waitMs = describeCounter('requests', limits.requests, snapshot.requestsPrevious, snapshot.requestsCurrent, at.elapsed, headers);
  }
  if (limits.tokens > 0) {
    waitMs = Math.max(
      waitMs,
      describeCounter('tokens', limits.tokens, snapshot.tokensPrevious, snapshot.tokensCurrent, at.elapsed, headers),
    );
  }
  if (!refused) return { allowed: true, headers };
  if (refused === 'budget') waitMs = at.month.end - at.now;
  return { allowed: false, reason: refused, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)), headers };
}
