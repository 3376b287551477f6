import { describe, expect, it } from 'vitest';
import { roundOrder } from './guardrails.ts';

describe('roundOrder', () => {
  it.each([2, 3, 6])('puts each of %i lanes at each place equally often over twice as many rounds', (n) => {
    const lanes = Array.from({ length: n }, (_, i) => i);
    const places = lanes.map(() => lanes.map(() => 0));
    for (let r = 0; r < 2 * n; r++) {
      const order = roundOrder(lanes, r);
      expect([...order].sort()).toEqual(lanes);
      order.forEach((lane, place) => places[lane]![place]!++);
    }
    for (const counts of places) expect(counts).toEqual(lanes.map(() => 2));
  });

  it('runs two lanes in the order A B, B A, B A, A B', () => {
    expect([0, 1, 2, 3].map((r) => roundOrder(['A', 'B'], r).join(''))).toEqual(['AB', 'BA', 'BA', 'AB']);
  });
});
