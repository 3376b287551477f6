// The MCP gateway of one config: its servers ready to call and who may use what. Built with the snapshot, so a
// reload swaps it atomically and a request keeps the one it started on.
import type { IR, IRAccessPolicy } from '../../compiler/ir/types.ts';
import type { SecretResolver } from '../secrets.ts';
import type { OriginPools } from '../upstream.ts';
import { type ConsumerAccess, createMcpAccess } from './access.ts';
import { mcpServerRuntimes, type McpServerRuntime } from './servers.ts';
import { MIN_SESSION_KEY_CHARS, type SessionSeal, sessionSeal } from './session.ts';

export interface McpRuntime {
  servers: ReadonlyMap<string, McpServerRuntime>;
  accessFor(consumer: string): ConsumerAccess;
  /**
   * The limiter's view of a policy's tool calls per minute: a policy of its own (`<name>#mcp`, a name no config
   * can declare) whose request limit is `callsPerMinute`, so tool calls and model requests are counted apart.
   */
  callLimits(policy: IRAccessPolicy): IRAccessPolicy | undefined;
  /** Seals and opens the Mcp-Session-Id tokens. */
  sessions: SessionSeal;
}

/** `ownSeal` seals sessions when no `gateway.mcp.sessionKey` is configured. */
export function createMcpRuntime(ir: IR, secrets: SecretResolver, pools: OriginPools, ownSeal: SessionSeal): McpRuntime | undefined {
  if (!ir.mcpServers?.length) return undefined;
  const servers = mcpServerRuntimes(ir.mcpServers, secrets, pools);
  const limits = new Map(
    ir.accessPolicies
      .filter((p) => p.mcp?.callsPerMinute !== undefined)
      .map((p) => [p, { ...p, name: `${p.name}#mcp`, limits: { requestsPerMinute: p.mcp!.callsPerMinute } }]),
  );
  return {
    servers,
    accessFor: createMcpAccess(ir, servers),
    callLimits: (policy) => limits.get(policy),
    sessions: sessionKeySeal(ir, secrets) ?? ownSeal,
  };
}

/** The seal of the configured session key; one too short to resist guessing fails the load, naming its reference. */
function sessionKeySeal(ir: IR, secrets: SecretResolver): SessionSeal | undefined {
  const ref = ir.gateway.mcp.sessionKey;
  if (!ref) return undefined;
  const key = secrets(ref);
  if (key.length < MIN_SESSION_KEY_CHARS) {
    throw new Error(`gateway.mcp.sessionKey (${ref.ref}) must be at least ${MIN_SESSION_KEY_CHARS} characters; it has ${key.length}.`);
  }
  return sessionSeal(key);
}
