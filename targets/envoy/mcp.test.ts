import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { IR } from '../../compiler/ir/types.ts';
import { sampleIR, withMcpServers } from '../../test/support/ir-fixture.ts';
import { EnvoyChecker } from './check.ts';
import { envoyTarget } from './index.ts';

const build = (ir: IR) => envoyTarget.build(ir) as Awaited<ReturnType<typeof envoyTarget.build>>;
const routesOf = (files: Record<string, string>): Record<string, any>[] =>
  parse(files['envoy.yaml']!).static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].routes;
const withMode = (mode: 'direct' | 'front') => {
  const ir = withMcpServers(sampleIR());
  ir.gateway.envoy.mode = mode;
  return ir;
};

describe('envoy target with MCP servers', () => {
  it.each(['direct', 'front'] as const)(
    '%s: routes /mcp to the Node gateways, without a route timeout, and checks against the protos',
    (mode) => {
      const out = build(withMode(mode));
      expect(new EnvoyChecker().checkFiles(out.files)).toEqual([]);
      const routes = routesOf(out.files);
      const mcp = routes.findIndex((r) => r.name === 'mcp');
      expect(routes[mcp]).toEqual({
        name: 'mcp',
        match: { path_separated_prefix: '/mcp' },
        route: { cluster: 'modelgate-gateway', timeout: '0s' },
      });
      // Before any catch-all, so that MCP streams are not cut by the gateway route's timeout.
      expect(routes.slice(mcp + 1).some((r) => r.match.prefix === '/' || r.name === 'not-found')).toBe(true);
    },
  );

  it('says in direct mode that MCP is served by the Node gateways', () => {
    const found = build(withMode('direct')).findings.filter((f) => f.resource.startsWith('McpServer/'));
    expect(found.map((f) => [f.ruleId, f.resource])).toEqual([
      ['target-delegated', 'McpServer/docs'],
      ['target-delegated', 'McpServer/github'],
    ]);
  });

  it('adds nothing for a config without MCP servers', () => {
    expect(routesOf(build(sampleIR()).files).some((r) => r.name === 'mcp')).toBe(false);
  });
});
