import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { sampleIR, withMcpServers } from '../../test/support/ir-fixture.ts';
import { fakeNode } from '../../test/support/fake-node-target.ts';
import { createK8sTarget } from './index.ts';

describe('k8s target with MCP servers', () => {
  it("wires the servers' credentials into the gateway pod and opens egress to their ports", async () => {
    const { files } = await createK8sTarget(fakeNode).build(withMcpServers(sampleIR()));
    const deployment = parse(files['deployment.yaml']!);
    const env = deployment.spec.template.spec.containers[0].env as { name: string; valueFrom: unknown }[];
    expect(env).toEqual(
      expect.arrayContaining([
        { name: 'DOCS_MCP_KEY', valueFrom: { secretKeyRef: { name: 'modelgate-credentials', key: 'docs_mcp_key' } } },
        { name: 'MODELGATE_SECRET_GITHUB_MCP_APIKEY', valueFrom: { secretKeyRef: { name: 'github-mcp', key: 'apiKey' } } },
      ]),
    );
    const egress = parse(files['networkpolicy.yaml']!).spec.egress.flatMap((e: any) => e.ports.map((p: any) => p.port));
    expect(egress).toContain(8080);
    expect(egress).toContain(443);
  });
});
