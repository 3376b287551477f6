import { globMatches, isGlob } from '../../kernel/name-glob.ts';
import { mcpGrantEntries } from '../mcp-grants.ts';
import type { Rule } from '../rule.ts';

export const destructiveToolGrantedByName: Rule = {
  id: 'destructive-tool-granted-by-name',
  description: 'A tool pinned as `risk: destructive` is granted only by its exact name, never by a glob.',
  rationale:
    'A glob such as `*` or `*_issue` reads as "the usual tools" in review, and silently includes `delete_issue`; a ' +
    'destructive tool should appear by name in the merge request that grants it.',
  defaultSeverity: 'error',
  reads: { on: ['AccessPolicy'], kinds: ['McpServer'] },
  docs: "Risks come from the server's pinned catalogue (`McpServer.spec.tools`); servers without one are not checked. Name the tool in `tools`, or withhold it from the glob with `excludeTools`.",
  *check(ctx) {
    for (const { policy, index, grant, servers } of ctx.memo(mcpGrantEntries)) {
      const named = new Set(grant.tools.filter((t) => !isGlob(t)));
      const excluded = grant.excludeTools ?? [];
      for (const server of servers) {
        for (const tool of server.value.spec.tools ?? []) {
          if (tool.risk !== 'destructive' || named.has(tool.name) || excluded.some((x) => globMatches(x, tool.name))) continue;
          const glob = grant.tools.findIndex((t) => isGlob(t) && globMatches(t, tool.name));
          if (glob < 0) continue;
          yield {
            resource: policy,
            path: ['spec', 'mcp', 'servers', index, 'tools', glob],
            message: `The glob \`${grant.tools[glob]}\` of access policy ${policy.name} grants the destructive tool ${server.name}/${tool.name}.`,
            hint: `Grant \`${tool.name}\` by name if it is meant, or add it to \`excludeTools\`.`,
          };
        }
      }
    }
  },
};
