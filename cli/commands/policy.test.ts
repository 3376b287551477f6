import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from '../../test/support/run-main.ts';

const acme = new URL('../../fixtures/acme', import.meta.url).pathname;
const broken = new URL('../../fixtures/policy-broken', import.meta.url).pathname;

describe('modelgate policy test', () => {
  it('passes every case of the acme policies, conftest-verify style', async () => {
    const { code, stdout } = await runMain('policy', 'test', acme);
    expect(code).toBe(0);
    expect(stdout).toContain(`PASS ${acme}/policies/eu-routes-stay-in-eu.yaml - eu-routes-stay-in-eu - a US fallback fails\n`);
    const summary = /(\d+) tests, (\d+) passed, 0 failed/.exec(stdout)!;
    expect(Number(summary[1])).toBeGreaterThanOrEqual(10);
    expect(summary[1]).toBe(summary[2]);
  });

  it('fails on a broken policy with what was expected, what happened and where', async () => {
    const { code, stdout } = await runMain('policy', 'test', broken);
    expect(code).toBe(1);
    const file = `${broken}/policies/routes-set-timeout.yaml`;
    expect(stdout).toContain(`PASS ${file} - routes-set-timeout - route without timeout fails\n`);
    expect(stdout).toContain(
      `FAIL ${file} - routes-set-timeout - route with timeout passes\n` +
        `     expected pass, got fail\n` +
        `     ${file}:29:15 Route chat must set spec.timeout. (hint: Fails \`spec.timeOut NotExists\`.)\n`,
    );
    expect(stdout).toContain('the test resource is not a valid Route:');
    expect(stdout).toContain('`spec.tragets` is not a known property. Did you mean "targets"?');
    expect(stdout).toMatch(/\n3 tests, 1 passed, 2 failed\n$/);
  });

  it('writes JUnit with one testcase per case and the failures in them', async () => {
    const { code, stdout } = await runMain('policy', 'test', broken, '--format', 'junit');
    expect(code).toBe(1);
    expect(stdout).toContain('<testsuites name="modelgate policy test" tests="3" failures="2" errors="0" skipped="0">');
    expect(stdout.match(/<testcase /g)).toHaveLength(3);
    expect(stdout).toContain('<failure message="expected pass, got fail">');
    expect(stdout).toContain('Did you mean &quot;targets&quot;?');
  });

  it('writes JSON with root-relative paths', async () => {
    const { stdout } = await runMain('policy', 'test', broken, '--format', 'json');
    const report = JSON.parse(stdout);
    expect(report.summary).toEqual({ tests: 3, passed: 1, failed: 2 });
    expect(report.results[1]).toMatchObject({
      file: 'policies/routes-set-timeout.yaml',
      expected: 'pass',
      actual: 'fail',
      ok: false,
      line: 23,
    });
  });

  it("runs the guardrails' cases too, failing ones with the text the checker writes and where", async () => {
    const passing = await runMain('policy', 'test', acme);
    expect(passing.stdout).toContain(
      `PASS ${acme}/guardrails/customer-pii.yaml - Guardrail/customer-pii - case 3: Ticket 4711 is about a late delivery\n`,
    );
    const dir = mkdtempSync(join(tmpdir(), 'modelgate-guardrail-tests-'));
    try {
      writeFileSync(
        join(dir, 'guard.yaml'),
        'apiVersion: modelgate.dev/v1\nkind: Guardrail\nmetadata: {name: mails}\nspec:\n  action: mask\n  check: {pii: {detectors: [email]}}\n  tests:\n    - {input: "a@b.co", expect: mask, output: "[EMAIL]"}\n',
      );
      const { code, stdout } = await runMain('policy', 'test', dir);
      expect(code).toBe(1);
      expect(stdout).toContain(
        `FAIL ${dir}/guard.yaml - Guardrail/mails - case 1: a@b.co\n` +
          `     ${dir}/guard.yaml:8:47 Test 1 of guardrail mails expects another masked text than the checker writes: "[REDACTED:email]".\n`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an unknown format as a usage error', async () => {
    expect((await runMain('policy', 'test', acme, '--format', 'sarif')).code).toBe(2);
  });
});
