import { describe, expect, it } from 'vitest';
import { getTarget, TARGET_NAMES, TARGETS } from './registry.ts';
import type { TargetName } from './target.ts';
import { acmeIR } from '../test/support/acme.ts';

describe('target registry', () => {
  it('lists every target once, in build order', () => {
    expect(TARGET_NAMES).toEqual(['node', 'envoy', 'k8s', 'envoy-ai-gateway']);
    for (const t of TARGETS) expect(getTarget(t.name)).toBe(t);
    expect(() => getTarget('nginx' as TargetName)).toThrow(/unknown target nginx/);
  });

  it.each(['prod', 'dev'])('every target builds acme %s to byte-identical files twice', async (env) => {
    for (const target of TARGETS) {
      const first = await target.build(acmeIR(env));
      const second = await target.build(acmeIR(env));
      expect(Object.keys(first.files).length, target.name).toBeGreaterThan(0);
      expect(second.files, target.name).toEqual(first.files);
      expect(
        first.findings.filter((f) => f.severity === 'error'),
        target.name,
      ).toEqual([]);
    }
  });
});
