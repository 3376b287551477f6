// Sliding-window counting over one-minute windows, shared by the memory and Redis stores (and
// mirrored, operation for operation, by the Redis Lua script so both decide alike).
//
// Two fixed windows are kept per counter: the current minute and the previous one. The count over
// the last 60 s is estimated as the previous minute's count weighted by the share of it still inside
// those 60 s, plus the current count. This avoids the 2× burst a fixed window allows at a boundary,
// at the cost of two integers per counter.

export const WINDOW_MS = 60_000;

/** The current minute window's index and how far into it `now` is. */
export const windowOf = (now: number): number => Math.floor(now / WINDOW_MS);
export const elapsedIn = (now: number): number => now - windowOf(now) * WINDOW_MS;

export function slidingCount(previous: number, current: number, elapsed: number): number {
  return Math.floor((previous * (WINDOW_MS - elapsed)) / WINDOW_MS) + current;
}

/**
 * Milliseconds from now until `slidingCount + need <= limit`, if no more is counted. `need = 1` is
 * when the next request fits; `need = limit` is when the counter is back to its initial state.
 */
export function msUntil(previous: number, current: number, elapsed: number, limit: number, need: number): number {
  if (slidingCount(previous, current, elapsed) + need <= limit) return 0;
  const allowance = limit - need - current;
  if (allowance >= 0) {
    // Within this window: floor(previous * (W - elapsed - t) / W) <= allowance.
    return Math.max(0, Math.floor(WINDOW_MS - elapsed - ((allowance + 1) * WINDOW_MS) / previous) + 1);
  }
  // Only once this window is the previous one: floor(current * (W - t) / W) <= limit - need.
  const later = Math.floor(WINDOW_MS - ((limit - need + 1) * WINDOW_MS) / current) + 1;
  return WINDOW_MS - elapsed + Math.max(0, later);
}

/** The calendar month (UTC) around `now`, recomputed only when `now` leaves the cached one. */
export function createMonthClock(): (now: number) => { index: number; start: number; end: number } {
  let month = { index: -1, start: 0, end: 0 };
  return (now) => {
    if (now < month.start || now >= month.end) {
      const date = new Date(now);
      const year = date.getUTCFullYear();
      const m = date.getUTCMonth();
      month = { index: year * 12 + m, start: Date.UTC(year, m, 1), end: Date.UTC(year, m + 1, 1) };
    }
    return month;
  };
}

/** OpenAI's reset format (Go's duration syntax) at millisecond precision: `20ms`, `1s`, `1m59.5s`, `6m0s`. */
export function formatReset(ms: number): string {
  const whole = Math.ceil(ms);
  if (whole < 1000) return `${whole}ms`;
  const minutes = Math.floor(whole / 60_000);
  const seconds = `${secondsText(whole % 60_000)}s`;
  return minutes > 0 ? `${minutes}m${seconds}` : seconds;
}

/**
 * `String(ms / 1000)` for whole milliseconds, written from integers: that is the exact decimal without trailing
 * zeros, but formatting the fraction took most of a request's limit headers (two per request).
 */
function secondsText(ms: number): string {
  const fraction = ms % 1000;
  const seconds = (ms - fraction) / 1000;
  if (fraction === 0) return String(seconds);
  if (fraction % 100 === 0) return `${seconds}.${fraction / 100}`;
  if (fraction % 10 === 0) return `${seconds}.${fraction < 100 ? '0' : ''}${fraction / 10}`;
  return `${seconds}.${fraction < 10 ? '00' : fraction < 100 ? '0' : ''}${fraction}`;
}
