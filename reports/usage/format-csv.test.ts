import { describe, expect, it } from 'vitest';
import { UsageAggregator } from './aggregate.ts';
import { formatCsv } from './format-csv.ts';

function reportFor(consumers: string[]) {
  const aggregator = new UsageAggregator({ by: 'consumer' });
  consumers.forEach((consumer, i) => {
    const record = { ts: '2026-01-01T00:00:00.000Z', requestId: `r${i}`, consumer, route: 'r', provider: 'p', model: 'm', status: 200 };
    aggregator.addLine(
      JSON.stringify({ ...record, inputTokens: 10, outputTokens: 5, costUsd: 0.5, latencyMs: 100, cache: 'bypass', stream: false }),
      't',
      i + 1,
    );
  });
  return { sources: ['t'], summary: aggregator.summary() };
}

describe('formatCsv', () => {
  it('quotes separators and defuses spreadsheet formulas in names', () => {
    const csv = formatCsv(reportFor(['=HYPERLINK("x")', 'a,b', 'plain']));
    const lines = csv.split('\r\n');
    expect(lines).toContain(`"'=HYPERLINK(""x"")",1,10,5,0.5,0,0,0,0,,100.4946,100.4946,100.4946`);
    expect(lines).toContain('"a,b",1,10,5,0.5,0,0,0,0,,100.4946,100.4946,100.4946');
    expect(lines.at(-1)).toBe('');
  });
});
