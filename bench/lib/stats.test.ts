import { describe, expect, it } from 'vitest';
import { medianInterval } from './stats.ts';

describe('medianInterval', () => {
  it('takes the order statistics the binomial tail gives (n = 24: 7th and 18th of 24 at 95 %)', () => {
    const xs = Array.from({ length: 24 }, (_, i) => 24 - i); // 24 .. 1, unsorted on purpose
    expect(medianInterval(xs)).toEqual([7, 18]);
    // 93.6 % coverage with the 8th and 17th: enough for 90 %, not for 95 %.
    expect(medianInterval(xs, 0.9)).toEqual([8, 17]);
  });

  it('is the extremes for 6 values and undefined below, where even they cover less than 95 %', () => {
    expect(medianInterval([5, 1, 4, 2, 6, 3])).toEqual([1, 6]);
    expect(medianInterval([1, 2, 3, 4, 5]).every(Number.isNaN)).toBe(true);
  });

  it('covers the true median about 95 % of the time or more', () => {
    // A fixed sequence of uniform-ish draws (Weyl sequence), median 0.5.
    let covered = 0;
    const trials = 2000;
    for (let t = 0; t < trials; t++) {
      const xs = Array.from({ length: 20 }, (_, i) => ((t * 20 + i) * 0.6180339887) % 1);
      const [lo, hi] = medianInterval(xs);
      if (lo <= 0.5 && 0.5 <= hi) covered++;
    }
    expect(covered / trials).toBeGreaterThanOrEqual(0.95);
  });

  it('stays finite for many values', () => {
    const xs = Array.from({ length: 5000 }, (_, i) => i);
    const [lo, hi] = medianInterval(xs);
    expect(lo).toBeGreaterThan(2300);
    expect(hi).toBeLessThan(2700);
  });
});
