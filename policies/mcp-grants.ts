// The MCP grants of every access policy with the servers each one reaches, built once per run and shared by the
// MCP rules (through `ctx.memo`). A glob grant is matched against the MCP servers, which a config has few of.
import { globMatches, isGlob } from '../kernel/name-glob.ts';
import type { Resource } from '../kernel/resource.ts';
import type { McpServerGrant } from '../schema/types.ts';
import type { RuleContext } from './rule.ts';

export interface McpGrantEntry {
  policy: Resource<'AccessPolicy'>;
  /** Index in `spec.mcp.servers`. */
  index: number;
  grant: McpServerGrant;
  servers: readonly Resource<'McpServer'>[];
}

/** A policy that grants MCP tools and no route or prompt: model limits and budgets mean nothing to it. */
export function grantsOnlyMcp(policy: Resource<'AccessPolicy'>): boolean {
  const spec = policy.value.spec;
  return Boolean(spec.mcp?.servers?.length) && !spec.routes?.length && !spec.prompts?.length;
}

export function mcpGrantEntries(ctx: RuleContext): readonly McpGrantEntry[] {
  const servers = ctx.byKind('McpServer');
  const entries: McpGrantEntry[] = [];
  for (const policy of ctx.byKind('AccessPolicy')) {
    (policy.value.spec.mcp?.servers ?? []).forEach((grant, index) => {
      const matched = isGlob(grant.name)
        ? servers.filter((s) => globMatches(grant.name, s.name))
        : [ctx.byId('McpServer', grant.name)].filter((s) => s !== undefined);
      entries.push({ policy, index, grant, servers: matched });
    });
  }
  return entries;
}
