import { mcpGrantEntries } from '../mcp-grants.ts';
import type { Rule } from '../rule.ts';

export const noWildcardToolGrantInProd: Rule = {
  id: 'no-wildcard-tool-grant-in-prod',
  description: 'In production, no access policy grants every MCP server or every tool of one (`*`).',
  rationale:
    'A wildcard grants the tools a server adds tomorrow, write and delete tools included, to agents today, without a ' +
    'merge request showing it.',
  defaultSeverity: 'error',
  reads: { on: ['AccessPolicy'], kinds: ['McpServer'] },
  tiers: ['production'],
  *check(ctx) {
    for (const { policy, index, grant } of ctx.memo(mcpGrantEntries)) {
      const at = ['spec', 'mcp', 'servers', index];
      if (grant.name === '*') {
        yield {
          resource: policy,
          path: [...at, 'name'],
          message: `Access policy ${policy.name} grants every MCP server (\`*\`) in production.`,
          hint: 'Name the servers.',
        };
      }
      for (const [i, tool] of grant.tools.entries()) {
        if (tool !== '*') continue;
        yield {
          resource: policy,
          path: [...at, 'tools', i],
          message: `Access policy ${policy.name} grants every tool of ${grant.name} (\`*\`) in production.`,
          hint: 'List the tools by name, or by globs over the read-only ones (`get_*`, `list_*`).',
        };
      }
    }
  },
};
