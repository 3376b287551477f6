// Guardrails are enforced by the Node gateway only: the Envoy targets say so on each policy and route that has
// some, at its `spec.guardrails`.
import { describe, expect, it } from 'vitest';
import type { IR } from '../compiler/ir/types.ts';
import { sampleIR, testGuardrail } from '../test/support/ir-fixture.ts';
import { envoyAIGatewayTarget } from './envoy-ai-gateway/index.ts';
import { envoyTarget } from './envoy/index.ts';

function guarded(mode: 'direct' | 'front'): IR {
  const ir = sampleIR();
  ir.gateway.envoy.mode = mode;
  ir.guardrails = [testGuardrail('pii', { type: 'pii', detectors: ['email'], patterns: [] })];
  ir.accessPolicies[0]!.guardrails = ['pii'];
  ir.routes[0]!.guardrails = ['pii'];
  return ir;
}

const reported = (findings: { ruleId: string; resource?: string; path: readonly (string | number)[] }[]) =>
  findings.filter((f) => f.path.at(-1) === 'guardrails').map((f) => `${f.ruleId} ${f.resource}`);

describe('guardrails on the Envoy targets', () => {
  it('are reported as not expressed by Envoy AI Gateway and by Envoy in direct mode, on each policy and route', async () => {
    const ir = guarded('direct');
    const expected = [`target-unsupported AccessPolicy/${ir.accessPolicies[0]!.name}`, `target-unsupported Route/${ir.routes[0]!.name}`];
    expect(reported((await envoyAIGatewayTarget.build(ir)).findings)).toEqual(expected);
    expect(reported((await envoyTarget.build(ir)).findings)).toEqual(expected);
  });

  it('are left to the Node gateways in front mode', async () => {
    expect(reported((await envoyTarget.build(guarded('front'))).findings)).toEqual([]);
  });
});
