// The MCP gateway of one config: its servers ready to call and who may use what. Built with the snapshot, so a
// reload swaps it atomically and a request keeps the one it started on.
import type { IR, IRAccessPolicy } from '../../compiler/ir/types.ts';
import type { SecretResolver } from '../secrets.ts';
import type { OriginPools } from '../upstream.ts';
import { type ConsumerAccess, createMcpAccess } from './access.ts';
import { mcpServerRuntimes, type McpServerRuntime } from './servers.ts';

export interface McpRuntime {
  servers: ReadonlyMap<string, McpServerRuntime>;
  accessFor(consumer: string): ConsumerAccess;
  /**
   * The limiter's view of a policy's tool calls per minute: a policy of its own (`<name>#mcp`, a name no config
   * can declare) whose request limit is `callsPerMinute`, so tool calls and model requests are counted apart.
   */
  callLimits(policy: IRAccessPolicy): IRAccessPolicy | undefined;
}

export function createMcpRuntime(ir: IR, secrets: SecretResolver, pools: OriginPools): McpRuntime | undefined {
  if (!ir.mcpServers?.length) return undefined;
  const servers = mcpServerRuntimes(ir.mcpServers, secrets, pools);
  const limits = new Map(
    ir.accessPolicies
      .filter((p) => p.mcp?.callsPerMinute !== undefined)
      .map((p) => [p, { ...p, name: `${p.name}#mcp`, limits: { requestsPerMinute: p.mcp!.callsPerMinute } }]),
  );
  return { servers, accessFor: createMcpAccess(ir, servers), callLimits: (policy) => limits.get(policy) };
}
