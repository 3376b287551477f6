import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLog } from '../../reports/usage/generate-log.ts';
import { runMain } from '../../test/support/run-main.ts';

const acme = new URL('../../fixtures/acme', import.meta.url).pathname;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'modelgate-usage-cli-'));
  await writeLog(join(dir, 'a.jsonl'), { lines: 3000, seed: 1, days: 10 });
  await writeLog(join(dir, 'b.jsonl.gz'), { lines: 2000, seed: 2, days: 10, gzip: true });
  const operational = '{"ts":"2026-01-01T00:00:00.000Z","level":"info","msg":"listening","port":8080}';
  writeFileSync(join(dir, 'broken.jsonl'), `{"ts":\n\nnot json\n${operational}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('modelgate usage', () => {
  it('prints a table per consumer with totals, and budgets from the config', async () => {
    const { code, stdout } = await runMain('usage', join(dir, 'a.jsonl'), '--config', acme, '--env', 'prod');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage by consumer: 3,000 requests from 1 log, 2026-01-01T/);
    expect(stdout).toMatch(/\nCONSUMER +REQUESTS +TOKENS IN +TOKENS OUT +COST USD +ERRORS +CACHE HIT +P50 MS +P95 MS\n/);
    expect(stdout).toMatch(/\nTOTAL +3,000 /);
    expect(stdout).toMatch(/Budgets for 2026-01 as of 2026-01-10T.*, config .*acme, environment prod:/);
    expect(stdout).toMatch(/\npayments-api +payments +1,500\.00 /);
    expect(stdout).toContain('Latency percentiles are estimates within ±1%');
  });

  it('reads globs (gz included), counts malformed lines without failing, and writes CSV and JSON', async () => {
    const csv = await runMain('usage', join(dir, '*.jsonl*'), '--by', 'route', '--format', 'csv');
    expect(csv.code).toBe(0);
    const [header, ...rows] = csv.stdout.trimEnd().split('\r\n');
    expect(header).toBe(
      'route,requests,input_tokens,output_tokens,cost_usd,errors,error_rate,cache_hits,cache_lookups,cache_hit_rate,p50_ms,p95_ms,p99_ms',
    );
    expect(rows.reduce((sum, r) => sum + Number(r.split(',')[1]), 0)).toBe(5000);
    expect(csv.stderr).toContain('skipped 2 malformed lines');
    expect(csv.stderr).toContain(`${join(dir, 'broken.jsonl')}:1: not valid JSON`);
    expect(csv.stderr).toContain(`${join(dir, 'broken.jsonl')}:3: not valid JSON`);

    const json = JSON.parse(
      (await runMain('usage', join(dir, 'a.jsonl'), '--by', 'day', '--since', '2026-01-03', '--until', '2026-01-04', '--format', 'json'))
        .stdout,
    );
    expect(json.summary.groups.map((g: { key: string }) => g.key)).toEqual(['2026-01-03', '2026-01-04']);
    expect(json.since).toBe('2026-01-03T00:00:00.000Z');
    expect(json.until).toBe('2026-01-04T23:59:59.999Z');
  });

  it("lists malformed lines by number and skips the gateway's operational log lines", async () => {
    const { code, stdout } = await runMain('usage', join(dir, 'broken.jsonl'));
    expect(code).toBe(0);
    expect(stdout).toContain('Usage by consumer: 0 requests from 1 log\n');
    expect(stdout).toContain('Skipped 1 operational log line (level/msg, not usage records).');
    expect(stdout).toContain(`Skipped 2 malformed lines (first 2 listed):\n  ${join(dir, 'broken.jsonl')}:1: not valid JSON\n`);
  });

  it('writes the HTML report to a file, creating its folder', async () => {
    const out = join(dir, 'reports', 'new', 'report.html');
    const { code, stdout } = await runMain('usage', join(dir, 'a.jsonl'), '--format', 'html', '--output', out);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toMatch(/^<!doctype html>/);
  });

  it('exits 2 for a missing file, an empty glob, a bad date or --config without --env', async () => {
    const missing = await runMain('usage', join(dir, 'nope.jsonl'));
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.stderr).toContain('nope.jsonl: no such file.');
    expect((await runMain('usage', join(dir, '*.log'))).stderr).toContain('no file matches this pattern');
    expect((await runMain('usage', join(dir, 'a.jsonl'), '--since', '2026-02-30')).stderr).toContain('--since 2026-02-30: expected a day');
    expect((await runMain('usage', join(dir, 'a.jsonl'), '--config', acme)).stderr).toContain('--config needs --env');
    expect((await runMain('usage', join(dir, 'a.jsonl'), '--since', '2026-02-01', '--until', '2026-01-01')).code).toBe(2);
  });
});
