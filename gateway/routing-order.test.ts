// The order in which one request tries a route's candidates, per strategy, with circuits and latencies set by hand.
import { describe, expect, it } from 'vitest';
import type { IRRoute } from '../compiler/ir/types.ts';
import { testModel, testProvider } from '../test/support/ir-fixture.ts';
import { HealthBoard } from './health/board.ts';
import type { ProviderRuntime } from './providers/index.ts';
import { candidateOrder, routePlan, type Candidate } from './routing.ts';

const clock = { now: 1_000_000 };
const board = new HealthBoard(
  () => clock.now,
  () => {},
);

/** A candidate whose model costs `input` + 1 USD per million tokens. */
function candidate(name: string, input: number): Candidate {
  const ir = testProvider(name, { models: [testModel('m', { inputPricePer1M: input, outputPricePer1M: 1 })] });
  return { provider: { ir } as ProviderRuntime, model: ir.models[0]!, health: board.of(ir, 'm') };
}

const a = candidate('a', 3);
const b = candidate('b', 1);
const c = candidate('c', 2);
const fallback = candidate('f', 0);

const plan = (strategy: IRRoute['strategy']) =>
  routePlan(
    strategy,
    [a, b, c].map((value) => ({ value, weight: 1 })),
    [b, fallback],
  );
const names = (order: Candidate[]) => order.map((x) => x.provider.ir.name).join(' ');
const open = (x: Candidate) => {
  const { breaker } = x.health;
  for (let i = 0; i < breaker.settings.consecutiveFailures; i++) breaker.record(breaker.acquire(), 'failure');
};
const close = (x: Candidate) => x.health.breaker.adopt('closed', ++clock.now, 0);

describe('candidate order', () => {
  it('priority: the targets as written, then the fallbacks that are not targets', () => {
    expect(names(candidateOrder(plan('priority')))).toBe('a b c f');
  });

  it('lowest-cost: cheapest first by input plus output price', () => {
    expect(names(candidateOrder(plan('lowest-cost')))).toBe('b c a f');
  });

  it('lowest-latency: unmeasured targets first as written, then by mean latency', () => {
    const now = performance.now();
    b.health.latency.add(50, now);
    expect(names(candidateOrder(plan('lowest-latency')))).toBe('a c b f');
    a.health.latency.add(300, now);
    c.health.latency.add(20, now);
    c.health.latency.add(120, now); // mean 70
    expect(names(candidateOrder(plan('lowest-latency')))).toBe('b c a f');
  });

  it('weighted: one target by weight and every fallback but it; never a target whose circuit is open', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(candidateOrder(plan('weighted'))[0]!.provider.ir.name);
    expect([...seen].sort()).toEqual(['a', 'b', 'c']);
    expect(
      candidateOrder(plan('weighted'))
        .slice(1)
        .map((x) => x.provider.ir.name),
    ).toEqual(expect.arrayContaining(['f']));

    open(a);
    open(c);
    for (let i = 0; i < 50; i++) expect(names(candidateOrder(plan('weighted')))).toBe('b f');
    close(a);
    close(c);
  });

  it('keeps an open target in the order of the ranked strategies (the attempt loop skips it without waiting)', () => {
    open(b);
    expect(names(candidateOrder(plan('lowest-cost')))).toBe('b c a f');
    expect(b.health.breaker.available()).toBe(false);
    close(b);
  });
});
