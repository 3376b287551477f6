// Which MCP servers, tools, resources and prompts a consumer may use, from the access policies that name it.
// Tools of a pinned catalogue are the only ones that exist; a tool is decided by the first policy by name that
// grants it (its limits and redaction apply), as routes are.
import type { IR, IRAccessPolicy, IRMcpGrant } from '../../compiler/ir/types.ts';
import { anyGlob } from '../../kernel/name-glob.ts';
import { consumersOf } from '../../kernel/subjects.ts';
import type { McpServerRuntime } from './servers.ts';

export interface ServerAccess {
  server: McpServerRuntime;
  /** The policies granting the consumer something on this server, in name order. */
  policies: readonly IRAccessPolicy[];
  /** The policy under which the consumer may call the tool, or undefined when none grants it. */
  toolPolicy(tool: string): IRAccessPolicy | undefined;
  resource(uri: string): boolean;
  prompt(name: string): boolean;
}

/** The servers a consumer may use, by name in name order; empty when it may use none. */
export type ConsumerAccess = ReadonlyMap<string, ServerAccess>;

interface CompiledGrant {
  policy: IRAccessPolicy;
  tool: (name: string) => boolean;
  resource: (uri: string) => boolean;
  prompt: (name: string) => boolean;
}

function compileGrant(policy: IRAccessPolicy, g: IRMcpGrant): CompiledGrant {
  const granted = anyGlob(g.tools);
  const excluded = anyGlob(g.excludeTools);
  return { policy, tool: (name) => granted(name) && !excluded(name), resource: anyGlob(g.resources), prompt: anyGlob(g.prompts) };
}

/** Per consumer, made on first use and kept for the life of the config (consumers are the config's). */
export function createMcpAccess(ir: IR, servers: ReadonlyMap<string, McpServerRuntime>): (consumer: string) => ConsumerAccess {
  const policies = ir.accessPolicies.filter((p) => p.mcp).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const resolve = consumersOf(ir);
  const picked = new Map(policies.map((p) => [p, new Set(resolve(p))]));
  const cache = new Map<string, ConsumerAccess>();
  const build = (consumer: string): ConsumerAccess => {
    const grants = new Map<string, CompiledGrant[]>();
    for (const policy of policies) {
      if (!picked.get(policy)!.has(consumer)) continue;
      for (const g of policy.mcp!.servers) {
        grants.set(g.server, [...(grants.get(g.server) ?? []), compileGrant(policy, g)]);
      }
    }
    const access = new Map<string, ServerAccess>();
    for (const name of [...grants.keys()].sort()) {
      const server = servers.get(name)!;
      const list = grants.get(name)!;
      access.set(name, {
        server,
        policies: [...new Set(list.map((g) => g.policy))],
        toolPolicy: (tool) => (server.catalogue && !server.catalogue.has(tool) ? undefined : list.find((g) => g.tool(tool))?.policy),
        resource: (uri) => list.some((g) => g.resource(uri)),
        prompt: (p) => list.some((g) => g.prompt(p)),
      });
    }
    return access;
  };
  return (consumer) => {
    let access = cache.get(consumer);
    if (!access) cache.set(consumer, (access = build(consumer)));
    return access;
  };
}
