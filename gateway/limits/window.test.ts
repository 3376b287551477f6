import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMonthClock, formatReset, msUntil, slidingCount, WINDOW_MS } from './window.ts';

/** Whether, `t` ms from now and with nothing more counted, the estimate has room for `need`. */
function fitsAfter(t: number, previous: number, current: number, elapsed: number, limit: number, need: number): boolean {
  const at = elapsed + t;
  const estimate = at < WINDOW_MS ? slidingCount(previous, current, at) : at < 2 * WINDOW_MS ? slidingCount(current, 0, at - WINDOW_MS) : 0;
  return estimate + need <= limit;
}

describe('sliding window', () => {
  it('weights the previous minute by the share of it still inside the last 60 s', () => {
    expect(slidingCount(100, 5, 0)).toBe(105);
    expect(slidingCount(100, 5, 15_000)).toBe(80);
    expect(slidingCount(100, 5, 59_999)).toBe(5);
  });

  it('predicts exactly when the next request, or a full reset, fits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 80 }),
        fc.integer({ min: 0, max: 80 }),
        fc.integer({ min: 0, max: WINDOW_MS - 1 }),
        fc.boolean(),
        (limit, previous, current, elapsed, full) => {
          const need = full ? limit : 1;
          const t = msUntil(previous, current, elapsed, limit, need);
          // The estimate only falls while nothing is counted, so fitting at t and not at t - 1 makes t the first.
          expect(fitsAfter(t, previous, current, elapsed, limit, need)).toBe(true);
          if (t > 0) expect(fitsAfter(t - 1, previous, current, elapsed, limit, need)).toBe(false);
        },
      ),
      { numRuns: 2000, seed: 4 },
    );
  });

  it('formats reset times like OpenAI', () => {
    expect(formatReset(0)).toBe('0ms');
    expect(formatReset(19.2)).toBe('20ms');
    expect(formatReset(1000)).toBe('1s');
    expect(formatReset(45_001)).toBe('45.001s');
    expect(formatReset(360_000)).toBe('6m0s');
    expect(formatReset(119_500)).toBe('1m59.5s');
  });

  it('writes the seconds of a reset time as JavaScript writes the number, for every millisecond of two minutes', () => {
    for (let ms = 1000; ms < 2 * WINDOW_MS + 1000; ms++) {
      const minutes = Math.floor(ms / WINDOW_MS);
      const seconds = `${(ms % WINDOW_MS) / 1000}s`;
      const expected = minutes > 0 ? `${minutes}m${seconds}` : seconds;
      if (formatReset(ms) !== expected) expect(formatReset(ms)).toBe(expected); // one expect per failure: 120,000 checks
    }
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 1e9 }), (ms) => {
        expect(formatReset(ms)).toBe(`${Math.floor(ms / WINDOW_MS)}m${(ms % WINDOW_MS) / 1000}s`.replace(/^0m/, ''));
      }),
    );
  });

  it('finds the calendar month in UTC, across year ends', () => {
    const monthOf = createMonthClock();
    const dec = monthOf(Date.parse('2025-12-31T23:59:59.999Z'));
    expect([dec.start, dec.end]).toEqual([Date.parse('2025-12-01T00:00:00Z'), Date.parse('2026-01-01T00:00:00Z')]);
    const jan = monthOf(Date.parse('2026-01-01T00:00:00Z'));
    expect(jan.index).toBe(dec.index + 1);
    expect(jan.end).toBe(Date.parse('2026-02-01T00:00:00Z'));
  });
});
