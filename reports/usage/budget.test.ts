import { describe, expect, it } from 'vitest';
import { testIR, testPolicy } from '../../test/support/ir-fixture.ts';
import { UsageAggregator } from './aggregate.ts';
import { budgetReport } from './budget.ts';

function summaryOf(records: [ts: string, consumer: string, costUsd: number][]) {
  const aggregator = new UsageAggregator({ by: 'consumer' });
  records.forEach(([ts, consumer, costUsd], i) => {
    const record = { ts, requestId: `r${i}`, consumer, route: 'chat', provider: 'p', model: 'm', status: 200 };
    aggregator.addLine(
      JSON.stringify({ ...record, inputTokens: 1, outputTokens: 1, costUsd, latencyMs: 5, cache: 'miss', stream: false }),
      'test',
      i + 1,
    );
  });
  return aggregator.summary();
}

const ir = testIR({
  accessPolicies: [
    testPolicy('team', { consumers: ['a', 'b'], limits: { monthlyBudgetUsd: 100 } }),
    testPolicy('tight', { consumers: ['b'], limits: { monthlyBudgetUsd: 30 } }),
    testPolicy('unlimited', { consumers: ['c'] }),
  ],
});

describe('budgetReport', () => {
  const summary = summaryOf([
    ['2025-12-31T23:00:00.000Z', 'a', 500], // last month: not counted
    ['2026-04-01T10:00:00.000Z', 'a', 20],
    ['2026-04-03T10:00:00.000Z', 'a', 10],
    ['2026-04-02T08:00:00.000Z', 'b', 40],
  ]);
  const asOf = Date.parse('2026-04-10T00:00:00.000Z'); // 9 of 30 days elapsed
  const report = budgetReport(summary, ir, asOf);

  it('projects month-to-date spend linearly and flags who will run out, tightest policy first', () => {
    expect(report).toMatchObject({ month: '2026-04', elapsedDays: 9, daysInMonth: 30, notes: [] });
    expect(report.lines.map(({ cumulative: _, ...line }) => line)).toEqual([
      { consumer: 'b', policy: 'tight', budgetUsd: 30, spentUsd: 40, projectedUsd: 133.333333, status: 'exceeded' },
      { consumer: 'a', policy: 'team', budgetUsd: 100, spentUsd: 30, projectedUsd: 100, status: 'within budget' },
    ]);
  });

  it('keeps a cumulative spend per day for the burn-down chart', () => {
    const a = report.lines.find((l) => l.consumer === 'a')!;
    expect(a.cumulative).toHaveLength(10);
    expect(a.cumulative.slice(0, 4)).toEqual([
      { day: '2026-04-01', spentUsd: 20 },
      { day: '2026-04-02', spentUsd: 20 },
      { day: '2026-04-03', spentUsd: 30 },
      { day: '2026-04-04', spentUsd: 30 },
    ]);
  });

  it('says when --since cuts into the month, and counts at least one day early in the month', () => {
    const early = budgetReport(summary, ir, Date.parse('2026-04-01T12:00:00Z'), Date.parse('2026-04-01T06:00:00Z'));
    expect(early.elapsedDays).toBe(1);
    expect(early.lines.find((l) => l.consumer === 'a')!.projectedUsd).toBe(600);
    expect(early.notes[0]).toMatch(/--since starts after 2026-04-01/);
  });
});
