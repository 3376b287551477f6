// Scale: at 10,000 resources (the example scaled to 600 teams) the k8s target still fits every object under
// Kubernetes' 1 MiB limit. The rule of each route or policy once made the PrometheusRule 6 MB here, and the build
// refused it. The splitting itself is tested at 1,000 resources in targets/k8s/large-config.test.ts.
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { generateRepo } from '../../bench/generate.ts';
import { compileSources } from '../../pipeline/compile.ts';
import { nodeTarget } from '../../targets/node/index.ts';
import { createK8sTarget } from '../../targets/k8s/index.ts';

describe('a generated repo of 10,000 resources', () => {
  it('builds for k8s, alerts and dashboard included, every object under 1 MiB', async () => {
    const ir = compileSources(generateRepo({ resources: 10_000, seed: 1, layout: 'single' }), { env: 'prod' }).ir!;
    const out = await createK8sTarget(nodeTarget).build(ir, { targets: ['k8s'] });
    expect(out.findings).toEqual([]);
    const docs = Object.entries(out.files)
      .filter(([file]) => file !== 'kustomization.yaml')
      .map(([, text]) => parse(text) as { kind: string; metadata: { name: string } });
    expect(docs.map((d) => d.kind)).toEqual(expect.arrayContaining(['PrometheusRule', 'ConfigMap']));
    for (const doc of docs)
      expect(Buffer.byteLength(JSON.stringify(doc)), `${doc.kind}/${doc.metadata.name}`).toBeLessThan(0.75 * 1024 * 1024);
  }, 120_000);
});
