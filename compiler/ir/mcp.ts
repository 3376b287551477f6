// The IR of McpServers and of access policies' MCP grants: defaults filled, server-name globs expanded.
import type * as T from '../../schema/types.ts';
import { globMatches, isGlob } from '../../kernel/name-glob.ts';
import { parseDuration } from '../../kernel/duration.ts';
import { parseSecretRef } from '../../kernel/secret-env.ts';
import { SCHEMA_DEFAULTS } from '../../schema/values.ts';
import type { IRMcpAccess, IRMcpGrant, IRMcpServer } from './types.ts';

const { McpServer: M, AccessPolicy: A } = SCHEMA_DEFAULTS;

export function buildMcpServer(name: string, r: T.McpServer): IRMcpServer {
  const s = r.spec;
  return {
    name,
    labels: { ...(r.metadata.labels ?? M['metadata.labels']) } as Record<string, string>,
    url: s.url,
    credential: s.credential ? parseSecretRef(s.credential) : null,
    credentialHeader: (s.credentialHeader ?? M['spec.credentialHeader']).toLowerCase(),
    timeoutMs: parseDuration(s.timeout ?? M['spec.timeout']),
    ...(s.tools
      ? {
          tools: s.tools
            .map((t) => ({ name: t.name, ...(t.description !== undefined ? { description: t.description } : {}), risk: t.risk }))
            .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
        }
      : {}),
  };
}

/** One grant per (server, entry): a glob entry grants every server it matches, in server-name order. */
export function buildMcpAccess(mcp: T.McpAccess, servers: readonly IRMcpServer[]): IRMcpAccess {
  const grants: IRMcpGrant[] = [];
  for (const g of mcp.servers ?? []) {
    const names = isGlob(g.name) ? servers.map((s) => s.name).filter((n) => globMatches(g.name, n)) : [g.name];
    for (const server of names) {
      grants.push({
        server,
        tools: [...g.tools],
        excludeTools: [...(g.excludeTools ?? [])],
        resources: [...(g.resources ?? [])],
        prompts: [...(g.prompts ?? [])],
      });
    }
  }
  return {
    servers: grants,
    ...(mcp.callsPerMinute !== undefined ? { callsPerMinute: mcp.callsPerMinute } : {}),
    redactArguments: mcp.redactArguments ?? A['spec.mcp.redactArguments'],
  };
}
