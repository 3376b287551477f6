import { describe, expect, it } from 'vitest';
import { doc, resourcesFrom } from '../../test/support/policy-resources.ts';
import { buildIR } from '../ir/build.ts';
import { checkReferences } from './references.ts';

const SERVERS = [
  doc(
    'McpServer',
    'github',
    'url: https://mcp.github.example/mcp\ncredential: env:GITHUB_MCP_TOKEN\ntools:\n  - { name: get_issue, risk: read }\n  - { name: list_issues, risk: read }\n  - { name: delete_issue, risk: destructive, description: Deletes an issue. }',
  ),
  doc('McpServer', 'docs', 'url: http://docs.internal:8080/mcp\ntimeout: 5s'),
  doc('Consumer', 'support', 'apiKeys: []'),
];
const policy = (mcp: string) =>
  doc('AccessPolicy', 'support-tools', `subjects: { consumers: [support] }\nmcp:\n${mcp.replace(/^/gm, '  ')}`);
const shown = (mcp: string) =>
  checkReferences(resourcesFrom(...SERVERS, policy(mcp))).map((d) => `${d.severity} ${d.ruleId} ${d.line}:${d.column} ${d.message}`);

describe('MCP grants', () => {
  it('accepts grants of existing servers and pinned tools', () => {
    expect(
      shown('servers:\n  - { name: github, tools: [get_issue, "list_*"], excludeTools: [delete_issue] }\n  - { name: docs, tools: ["*"] }'),
    ).toEqual([]);
  });

  it('reports an unknown server or tool at its node, with a suggestion', () => {
    expect(shown('servers:\n  - { name: githb, tools: ["*"] }\n  - { name: github, tools: [get_isue] }')).toEqual([
      'error reference 11:17 McpServer "githb" does not exist. Did you mean "github"?',
      'error reference 12:33 Tool of McpServer github "get_isue" does not exist. Did you mean "get_issue"?',
    ]);
  });

  it('warns about overlapping entries and globs that match nothing', () => {
    expect(
      shown(
        'servers:\n  - { name: github, tools: ["list_*", list_issues, "create_*"] }\n  - { name: "git*", tools: [get_issue] }\n  - { name: "nope-*", tools: ["*"] }',
      ),
    ).toEqual([
      'warning mcp-grant 11:43 "list_issues" is already matched by "list_*" in the same list.',
      'warning mcp-grant 11:56 The glob "create_*" matches no tool of the pinned catalogue of github.',
      'warning mcp-grant 12:17 McpServer "github" is already granted by spec.mcp.servers[0] of this policy.',
      'warning mcp-grant 13:17 The glob "nope-*" matches no McpServer.',
    ]);
  });

  it('builds the IR: defaults, server globs expanded, nothing added for configs without MCP', () => {
    const resources = resourcesFrom(
      ...SERVERS,
      policy('servers:\n  - { name: "*", tools: ["get_*"], resources: ["docs://*"] }\ncallsPerMinute: 30'),
    );
    const ir = buildIR(resources, { name: 'dev', tier: 'development' });
    expect(ir.mcpServers).toEqual([
      {
        name: 'docs',
        labels: { owner: 'ana', team: 'platform' },
        url: 'http://docs.internal:8080/mcp',
        credential: null,
        credentialHeader: 'authorization',
        timeoutMs: 5000,
      },
      {
        name: 'github',
        labels: { owner: 'ana', team: 'platform' },
        url: 'https://mcp.github.example/mcp',
        credential: { ref: 'env:GITHUB_MCP_TOKEN', source: 'env', name: 'GITHUB_MCP_TOKEN' },
        credentialHeader: 'authorization',
        timeoutMs: 60_000,
        tools: [
          { name: 'delete_issue', description: 'Deletes an issue.', risk: 'destructive' },
          { name: 'get_issue', risk: 'read' },
          { name: 'list_issues', risk: 'read' },
        ],
      },
    ]);
    expect(ir.accessPolicies[0].mcp).toEqual({
      servers: [
        { server: 'docs', tools: ['get_*'], excludeTools: [], resources: ['docs://*'], prompts: [] },
        { server: 'github', tools: ['get_*'], excludeTools: [], resources: ['docs://*'], prompts: [] },
      ],
      callsPerMinute: 30,
      redactArguments: false,
    });
    const plain = buildIR(resourcesFrom(SERVERS[2]), { name: 'dev', tier: 'development' });
    expect('mcpServers' in plain).toBe(false);
  });
});

describe('an McpServer credential header without a credential', () => {
  it('is a schema error at the header, saying what is missing', async () => {
    const { compileSources } = await import('../../pipeline/compile.ts');
    const text = doc('McpServer', 'github', 'url: https://mcp.example/mcp\ncredentialHeader: X-API-Key');
    const found = compileSources([{ path: 'mcp.yaml', text }], {}).diagnostics.filter((d) => d.ruleId === 'schema');
    expect(found.map((d) => `${d.line}:${d.column} ${d.message} ${d.hint}`)).toEqual([
      '9:21 `spec.credentialHeader` needs `spec.credential`, which is missing. Add `spec.credential`, or remove `spec.credentialHeader`.',
    ]);
  });
});
