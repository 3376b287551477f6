import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../policies/index.ts';
import { runMain } from '../../test/support/run-main.ts';

describe('modelgate rules', () => {
  it('lists every rule with its default severity and description', async () => {
    const { code, stdout } = await runMain('rules');
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(BUILTIN_RULES.length);
    expect(stdout).toMatch(/^no-literal-credentials +error +No credential is written/m);
    expect(stdout).toMatch(/^prod-consumer-has-budget +error +.*\(production only\)$/m);
  });

  it('lists them as JSON', async () => {
    const rules = JSON.parse((await runMain('rules', '--format', 'json')).stdout);
    expect(rules.map((r: { id: string }) => r.id)).toEqual(BUILTIN_RULES.map((r) => r.id));
    expect(rules.find((r: { id: string }) => r.id === 'timeouts-bounded')).toMatchObject({ severity: 'warning', tiers: [] });
  });
});
