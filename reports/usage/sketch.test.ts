import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LatencySketch } from './sketch.ts';

const exact = (sorted: number[], q: number): number => sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;

describe('LatencySketch', () => {
  it('reports every quantile within ±1% of the exact nearest-rank value', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.02, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 400 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, q) => {
          const sketch = new LatencySketch();
          for (const v of values) sketch.add(v);
          const truth = exact(
            [...values].sort((a, b) => a - b),
            q,
          );
          expect(Math.abs(sketch.quantile(q)! - truth) / truth).toBeLessThanOrEqual(0.01);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('counts sub-10µs latencies as 0 and has no answer without samples', () => {
    const sketch = new LatencySketch();
    expect(sketch.quantile(0.5)).toBeNull();
    sketch.add(0);
    sketch.add(0.001);
    sketch.add(100);
    expect(sketch.quantile(0.5)).toBe(0);
    expect(sketch.quantile(1)).toBeCloseTo(100, -0.3);
  });
});
