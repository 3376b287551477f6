// `/mcp` and `/mcp/{server}` in both modes: passed whole to the Node gateways, which serve MCP (grants, sessions,
// credentials). No route timeout: an MCP event stream stays open as long as its agent listens; Envoy's stream idle
// timeout still closes one that goes silent (servers send keep-alives well within it).
import type { IR } from '../../compiler/ir/types.ts';
import { GATEWAY_CLUSTER, type Json } from './config.ts';

export function mcpRoutes(ir: IR): Json[] {
  if (!ir.mcpServers?.length) return [];
  return [{ name: 'mcp', match: { path_separated_prefix: '/mcp' }, route: { cluster: GATEWAY_CLUSTER, timeout: '0s' } }];
}
