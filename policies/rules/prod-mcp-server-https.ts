import { plainHttpOffLoopback } from '../plain-http.ts';
import type { Rule } from '../rule.ts';

export const prodMcpServerHttps: Rule = {
  id: 'prod-mcp-server-https',
  description: 'In production, MCP servers are reached over HTTPS (plain HTTP only on the loopback interface).',
  rationale:
    "Every request to an MCP server carries the gateway's credential for it and the agents' tool arguments; over plain " +
    'HTTP anyone on the path reads both.',
  defaultSeverity: 'error',
  reads: { kinds: [], on: ['McpServer'] },
  tiers: ['production'],
  *check(ctx) {
    for (const server of ctx.byKind('McpServer')) {
      const url = server.value.spec.url;
      if (!plainHttpOffLoopback(url)) continue;
      yield {
        resource: server,
        path: ['spec', 'url'],
        message: `MCP server ${server.name} is reached over plain HTTP in production.`,
        hint: 'Use an `https://` URL (a sidecar on localhost may stay on HTTP).',
      };
    }
  },
};
