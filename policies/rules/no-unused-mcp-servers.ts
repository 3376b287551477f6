import { mcpGrantEntries } from '../mcp-grants.ts';
import type { Rule } from '../rule.ts';

export const noUnusedMcpServers: Rule = {
  id: 'no-unused-mcp-servers',
  description: 'Every MCP server is granted to someone by an access policy.',
  rationale: 'A server nobody may use still ships its credential to every gateway replica and hides stale config in reviews.',
  defaultSeverity: 'warning',
  reads: { on: ['McpServer'], kinds: ['AccessPolicy', 'McpServer'] },
  referredToBy: ['AccessPolicy'],
  *check(ctx) {
    const granted = new Set(ctx.memo(mcpGrantEntries).flatMap((e) => e.servers.map((s) => s.name)));
    for (const server of ctx.byKind('McpServer')) {
      if (granted.has(server.name)) continue;
      yield {
        resource: server,
        path: ['metadata', 'name'],
        message: `MCP server ${server.name} is not granted by any access policy.`,
        hint: 'Grant its tools in an access policy (`spec.mcp.servers`), or delete it (and its credential).',
      };
    }
  },
};
