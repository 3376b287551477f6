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

  it('refuses an unknown format as a usage error', async () => {
    expect((await runMain('policy', 'test', acme, '--format', 'sarif')).code).toBe(2);
  });
});
