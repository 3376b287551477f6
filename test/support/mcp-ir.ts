// MCP servers and grants added to a hand-made IR, for the targets' tests: a pinned server behind a k8s Secret and
// an unpinned one behind a named header, granted by two policies with globs, exclusions, a call limit and redaction.
import type { IR } from '../../compiler/ir/types.ts';

export function withMcpServers(ir: IR): IR {
  ir.mcpServers = [
    {
      name: 'docs',
      labels: {},
      url: 'http://docs-mcp.tools.svc:8080/mcp',
      credential: { ref: 'env:DOCS_MCP_KEY', source: 'env', name: 'DOCS_MCP_KEY' },
      credentialHeader: 'x-api-key',
      timeoutMs: 30_000,
    },
    {
      name: 'github',
      labels: {},
      url: 'https://api.githubcopilot.com/mcp/',
      credential: { ref: 'k8s:github-mcp/apiKey', source: 'k8s', name: 'github-mcp', key: 'apiKey' },
      credentialHeader: 'authorization',
      timeoutMs: 60_000,
      tools: [
        { name: 'create_issue', risk: 'write' },
        { name: 'delete_issue', risk: 'destructive' },
        { name: 'get_issue', description: 'Read one issue.', risk: 'read' },
        { name: 'list_issues', risk: 'read' },
      ],
    },
  ];
  const [first, second] = ir.accessPolicies;
  first!.mcp = {
    servers: [
      { server: 'docs', tools: ['search*'], excludeTools: [], resources: ['docs://*'], prompts: [] },
      { server: 'github', tools: ['get_issue', 'list_*'], excludeTools: [], resources: [], prompts: [] },
    ],
    callsPerMinute: 60,
    redactArguments: true,
  };
  second!.mcp = {
    servers: [{ server: 'github', tools: ['*'], excludeTools: ['delete_*'], resources: [], prompts: [] }],
    redactArguments: false,
  };
  return ir;
}
