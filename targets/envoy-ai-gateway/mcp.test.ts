import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { IR } from '../../compiler/ir/types.ts';
import { loadCrds } from '../../test/support/crd-schemas.ts';
import { sampleIR, withMcpServers } from '../../test/support/ir-fixture.ts';
import { envoyAIGatewayTarget } from './index.ts';

type Json = Record<string, any>;

const CRD_DIR = fileURLToPath(new URL('../../../shared/schemas/envoy-ai-gateway-v1.1/', import.meta.url));
const crds = loadCrds(CRD_DIR);

const build = (ir: IR) => envoyAIGatewayTarget.build(ir) as Awaited<ReturnType<typeof envoyAIGatewayTarget.build>>;
const mcpDocs = (ir: IR): Json[] => parseAllDocuments(build(ir).files['mcp.yaml'] ?? '').map((d) => d.toJS());
const routeOf = (ir: IR): Json => mcpDocs(ir).find((d) => d.kind === 'MCPRoute')!;

describe.skipIf(!crds)(`envoy-ai-gateway MCPRoute: checked against the v1.1 CRD${crds ? '' : ` (skipped: ${CRD_DIR} is absent)`}`, () => {
  it('matches its openAPIV3Schema and CEL rules, and the checker refuses what the CRD refuses', () => {
    const route = routeOf(withMcpServers(sampleIR()));
    expect(crds!.problems(route as never)).toEqual([]);
    route.spec.backendRefs[0].toolSelector = { include: ['a'], includeRegex: ['b'] };
    expect(crds!.problems(route as never).join('\n')).toMatch(/include and includeRegex are mutually exclusive/);
  });
});

describe('envoy-ai-gateway target with MCP servers', () => {
  const ir = withMcpServers(sampleIR());

  it('exposes each granted server at /mcp with a Backend, its credential from a Secret and a tool selector of what is granted', () => {
    const route = routeOf(ir);
    expect(route.spec.path).toBe('/mcp');
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'modelgate' }]);
    expect(route.spec.backendRefs).toEqual([
      {
        name: 'docs',
        kind: 'Backend',
        group: 'gateway.envoyproxy.io',
        path: '/mcp',
        toolSelector: { includeRegex: ['^(?:search.*)$'] },
        securityPolicy: { apiKey: { secretRef: { name: 'docs-apikey', namespace: 'ai-gateway' }, header: 'x-api-key' } },
      },
      {
        name: 'github',
        kind: 'Backend',
        group: 'gateway.envoyproxy.io',
        path: '/mcp',
        // The pinned catalogue, less what no grant lets through (delete_issue is withheld from the only `*`).
        toolSelector: { include: ['create_issue', 'get_issue', 'list_issues'] },
        securityPolicy: { apiKey: { secretRef: { name: 'github-mcp', namespace: 'ai-gateway' } } },
      },
    ]);
    const kinds = mcpDocs(ir).map((d) => `${d.kind}/${d.metadata.name}`);
    expect(kinds).toEqual(['MCPRoute/modelgate-mcp', 'Backend/docs', 'Backend/github', 'BackendTLSPolicy/github-tls']);
    expect(build(ir).files['kustomization.yaml']).toContain('mcp.yaml');
  });

  it('reports what the MCPRoute cannot express, at the setting', () => {
    const found = build(ir).findings.filter((f) => f.message.includes('MCP') || f.message.includes('tool'));
    expect(found.map((f) => `${f.ruleId} ${f.resource} ${f.path.join('.')}`).sort()).toEqual([
      'target-approximated AccessPolicy/payments spec.mcp.servers',
      'target-approximated AccessPolicy/search spec.mcp.servers',
      'target-unsupported AccessPolicy/payments spec.mcp.callsPerMinute',
      'target-unsupported AccessPolicy/payments spec.mcp.redactArguments',
      'target-unsupported McpServer/github spec.tools',
    ]);
  });

  it('refuses an MCP server named like a provider, and writes nothing for a config without MCP', () => {
    const clash = withMcpServers(sampleIR());
    clash.mcpServers![0]!.name = clash.providers[0]!.name;
    clash.accessPolicies[0]!.mcp!.servers[0]!.server = clash.providers[0]!.name;
    expect(
      build(clash)
        .findings.filter((f) => f.ruleId === 'target-limit')
        .map((f) => f.resource),
    ).toEqual([`McpServer/${clash.providers[0]!.name}`]);
    expect(build(sampleIR()).files).not.toHaveProperty('mcp.yaml');
  });
});
