// The MCP servers of one config, ready to call: endpoint, the pooled connections of its origin, the fixed headers
// with the gateway's own credential (resolved at load: a missing one fails the load, naming its reference), and
// the pinned catalogue.
import type { IRMcpServer, IRMcpTool } from '../../compiler/ir/types.ts';
import { endpoint, headerList, type Endpoint } from '../providers/adapter.ts';
import type { SecretResolver } from '../secrets.ts';
import type { OriginPool, OriginPools } from '../upstream.ts';

export interface McpServerRuntime {
  ir: IRMcpServer;
  endpoint: Endpoint;
  pool: OriginPool;
  /** Host and credential as Node's raw header list: nothing of the caller's request is ever added to it. */
  headers: readonly string[];
  /** The pinned tools by name; undefined when the server's own list is served. */
  catalogue: Map<string, IRMcpTool> | undefined;
}

export function mcpServerRuntimes(
  servers: readonly IRMcpServer[],
  secrets: SecretResolver,
  pools: OriginPools,
): Map<string, McpServerRuntime> {
  return new Map(
    servers.map((ir) => {
      const target = endpoint(ir.url);
      const credential = ir.credential ? secrets(ir.credential) : undefined;
      const auth =
        credential === undefined
          ? {}
          : { [ir.credentialHeader]: ir.credentialHeader === 'authorization' ? `Bearer ${credential}` : credential };
      const runtime: McpServerRuntime = {
        ir,
        endpoint: target,
        pool: pools.for(target),
        headers: headerList(target, auth),
        catalogue: ir.tools ? new Map(ir.tools.map((t) => [t.name, t])) : undefined,
      };
      return [ir.name, runtime];
    }),
  );
}
