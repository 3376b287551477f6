import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../../test/support/run-main.ts';

const ACME = fileURLToPath(new URL('../../fixtures/acme/', import.meta.url));

describe('modelgate plan and its cache', () => {
  let head: string;
  beforeAll(() => {
    head = mkdtempSync(join(tmpdir(), 'mg-plan-cli-'));
    cpSync(ACME, head, { recursive: true });
    const route = join(head, 'routes/summarize.yaml');
    writeFileSync(route, readFileSync(route, 'utf8').replace('maxTokens: 512', 'maxTokens: 1024'));
  });
  it('keeps its cache in .modelgate/cache of the config root by default, and the second plan prints the same', async () => {
    const first = await runMain('plan', head, '--base', ACME, '--env', 'prod');
    expect(first.code).toBe(2);
    expect(readdirSync(join(head, '.modelgate/cache')).sort()).toEqual([
      '.gitignore',
      'CACHEDIR.TAG',
      'artifact',
      'checkindex',
      'checks',
      'current',
      'parse',
      'part',
      'piece',
      'place',
      'side',
    ]);
    expect(await runMain('plan', head, '--base', ACME, '--env', 'prod')).toEqual(first);
  });

  it('writes where --cache-dir says, and nothing at all with --no-cache', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mg-plan-cli-'));
    cpSync(head, root, { recursive: true, filter: (path) => !path.includes('.modelgate') });
    const dir = join(mkdtempSync(join(tmpdir(), 'mg-plan-cli-cache-')), 'cache');
    const cached = await runMain('plan', root, '--base', ACME, '--env', 'prod', '--cache-dir', dir);
    expect(existsSync(join(dir, 'side'))).toBe(true);
    const uncached = await runMain('plan', root, '--base', ACME, '--env', 'prod', '--no-cache');
    expect(uncached).toEqual(cached);
    expect(existsSync(join(root, '.modelgate'))).toBe(false);
  });
});

describe('modelgate plan and the monitoring artifacts', () => {
  it('shows a budget change in the config the gateway serves its limit gauges from, not in the alert rule or the dashboard', async () => {
    const head = mkdtempSync(join(tmpdir(), 'mg-plan-alerts-'));
    cpSync(ACME, head, { recursive: true });
    const policy = join(head, 'access/payments.yaml');
    writeFileSync(policy, readFileSync(policy, 'utf8').replace('monthlyBudgetUsd: 1500', 'monthlyBudgetUsd: 2500'));
    const { code, stdout } = await runMain('plan', head, '--base', ACME, '--env', 'prod', '--format', 'json', '--no-cache');
    expect(code).toBe(2);
    const artifacts: { target: string; file: string; diff: string }[] = JSON.parse(stdout).environments[0].artifacts;
    const changed = (target: string, file: string) => artifacts.find((a) => a.target === target && a.file === file)?.diff ?? '';
    // The rules and panels read the budget from the gateway's modelgate_policy_monthly_budget_usd: unchanged.
    expect(artifacts.map((a) => a.file)).not.toContain('prometheusrule.yaml');
    expect(artifacts.map((a) => a.file)).not.toContain('dashboard.yaml');
    for (const [target, file] of [
      ['node', 'config.json'],
      ['k8s', 'configmap-config-000.yaml'],
    ] as const) {
      expect(changed(target, file)).toMatch(/^-.*"monthlyBudgetUsd": 1500,$/m);
      expect(changed(target, file)).toMatch(/^\+.*"monthlyBudgetUsd": 2500,$/m);
    }
    // The Deployment rolls out for the new config, which the gauges then serve.
    expect(changed('k8s', 'deployment.yaml')).toMatch(/^\+.*checksum\/config: /m);
  });
});
