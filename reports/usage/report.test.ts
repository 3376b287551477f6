// Totals from the streaming aggregation must equal a brute-force sum over the same generated log.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UsageRecord } from '../../schema/types.ts';
import { UNAUTHENTICATED, type Dimension, type GroupSummary } from './aggregate.ts';
import { writeLog } from './generate-log.ts';
import { usageReport } from './report.ts';
import { resolveSources } from './sources.ts';

const LINES = 20_000;
const MALFORMED_EVERY = 997;
let dir: string;
let plain: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'modelgate-usage-'));
  plain = join(dir, 'usage.jsonl');
  await writeLog(plain, { lines: LINES, seed: 7, malformedEvery: MALFORMED_EVERY });
  await writeLog(join(dir, 'usage.jsonl.gz'), { lines: LINES, seed: 7, malformedEvery: MALFORMED_EVERY, gzip: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The obvious, slow way: every record in memory, exact sorted percentiles. */
function bruteForce(by: Dimension, keep: (r: UsageRecord) => boolean = () => true) {
  const records: UsageRecord[] = [];
  let malformed = 0;
  for (const line of readFileSync(plain, 'utf8').split('\n').filter(Boolean)) {
    try {
      const r = JSON.parse(line) as UsageRecord;
      if (typeof r.status !== 'number') throw new Error('bad status');
      if (keep(r)) records.push(r);
    } catch {
      malformed++;
    }
  }
  const keyOf = (r: UsageRecord): string =>
    by === 'consumer' ? (r.consumer ?? UNAUTHENTICATED) : by === 'day' ? r.ts.slice(0, 10) : by === 'route' ? r.route! : '?';
  const groups = new Map<string, UsageRecord[]>();
  for (const r of records) {
    if (!groups.has(keyOf(r))) groups.set(keyOf(r), []);
    groups.get(keyOf(r))!.push(r);
  }
  const sums = (rs: UsageRecord[]) => {
    const sorted = rs.map((r) => r.latencyMs).sort((a, b) => a - b);
    const rank = (q: number) => sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
    return {
      requests: rs.length,
      inputTokens: rs.reduce((s, r) => s + r.inputTokens, 0),
      outputTokens: rs.reduce((s, r) => s + r.outputTokens, 0),
      costUsd: rs.reduce((s, r) => s + r.costUsd, 0),
      errors: rs.filter((r) => r.status >= 400).length,
      cacheHits: rs.filter((r) => r.cache === 'hit').length,
      cacheLookups: rs.filter((r) => r.cache !== 'bypass').length,
      p50: rank(0.5),
      p95: rank(0.95),
      p99: rank(0.99),
    };
  };
  return { malformed, totals: sums(records), groups: new Map([...groups].map(([k, rs]) => [k, sums(rs)])) };
}

function expectMatches(actual: GroupSummary, expected: ReturnType<typeof bruteForce>['totals']): void {
  expect(actual).toMatchObject({
    requests: expected.requests,
    inputTokens: expected.inputTokens,
    outputTokens: expected.outputTokens,
    errors: expected.errors,
    cacheHits: expected.cacheHits,
    cacheLookups: expected.cacheLookups,
  });
  expect(actual.costUsd).toBeCloseTo(expected.costUsd, 5);
  for (const q of ['p50', 'p95', 'p99'] as const) {
    expect(Math.abs(actual.latencyMs[q]! - expected[q]) / expected[q]).toBeLessThanOrEqual(0.01);
  }
}

describe('usageReport', () => {
  it('matches a brute-force sum per consumer and in total, malformed lines counted with their numbers', async () => {
    const report = await usageReport(resolveSources([plain]), { by: 'consumer' });
    const expected = bruteForce('consumer');
    expect(report.summary.lines).toBe(LINES);
    expect(report.summary.malformed.count).toBe(expected.malformed);
    expect(expected.malformed).toBe(Math.floor(LINES / MALFORMED_EVERY));
    expect(report.summary.malformed.first.map((m) => m.line)).toEqual(Array.from({ length: 10 }, (_, i) => (i + 1) * MALFORMED_EVERY));
    expect(report.summary.malformed.first[0]).toEqual({ source: plain, line: 997, reason: '"status" is not an integer' });
    expect(report.summary.malformed.first[1]!.reason).toBe('not valid JSON');
    expectMatches(report.summary.totals, expected.totals);
    expect(report.summary.groups.map((g) => g.key).sort()).toEqual([...expected.groups.keys()].sort());
    for (const g of report.summary.groups) expectMatches(g, expected.groups.get(g.key)!);
    // Highest cost first.
    const costs = report.summary.groups.map((g) => g.costUsd);
    expect(costs).toEqual([...costs].sort((a, b) => b - a));
  });

  it('reads .gz files and stdin the same as the plain file', async () => {
    const fromFile = await usageReport(resolveSources([plain]), { by: 'route' });
    const fromGzip = await usageReport(resolveSources([join(dir, 'usage.jsonl.gz')]), { by: 'route' });
    const fromStdin = await usageReport(resolveSources(['-'], Readable.from([readFileSync(plain)])), { by: 'route' });
    expect(fromGzip.summary).toEqual({
      ...fromFile.summary,
      malformed: { ...fromFile.summary.malformed, first: fromGzip.summary.malformed.first },
    });
    expect(fromStdin.summary.groups).toEqual(fromFile.summary.groups);
    expect(fromStdin.sources).toEqual(['<stdin>']);
  });

  it('counts only records inside --since/--until and groups by day', async () => {
    const since = Date.parse('2026-01-03T00:00:00Z');
    const until = Date.parse('2026-01-05T23:59:59.999Z');
    const report = await usageReport(resolveSources([plain]), { by: 'day', since, until });
    const inside = (r: UsageRecord) => Date.parse(r.ts) >= since && Date.parse(r.ts) <= until;
    const expected = bruteForce('day', inside);
    expect(report.summary.groups.map((g) => g.key)).toEqual(['2026-01-03', '2026-01-04', '2026-01-05']);
    expectMatches(report.summary.totals, expected.totals);
    expect(report.summary.outOfRange).toBe(LINES - expected.malformed - expected.totals.requests);
    expect(report.summary.first! >= '2026-01-03').toBe(true);
  });
});
