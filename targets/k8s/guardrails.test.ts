import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseSecretRef } from '../../kernel/secret-env.ts';
import { sampleIR, testGuardrail } from '../../test/support/ir-fixture.ts';
import { fakeNode } from '../../test/support/fake-node-target.ts';
import { createK8sTarget } from './index.ts';

describe('k8s target with remote guardrail checkers', () => {
  it("wires the checkers' credentials into the gateway pod and opens egress to their ports", async () => {
    const ir = sampleIR();
    ir.guardrails = [
      testGuardrail('mod', {
        type: 'moderation',
        url: 'https://moderation.example/v1/moderations',
        credential: parseSecretRef('env:MODERATION_KEY'),
        thresholds: {},
      }),
      testGuardrail('pres', { type: 'presidio', analyzerUrl: 'http://presidio-analyzer:5002', language: 'en', scoreThreshold: 0.5 }),
    ];
    const { files } = await createK8sTarget(fakeNode).build(ir);
    const env = parse(files['deployment.yaml']!).spec.template.spec.containers[0].env as { name: string }[];
    expect(env.map((e) => e.name)).toContain('MODERATION_KEY');
    const egress = parse(files['networkpolicy.yaml']!).spec.egress.flatMap((e: any) => e.ports.map((p: any) => p.port));
    expect(egress).toEqual(expect.arrayContaining([443, 5002]));
  });
});
