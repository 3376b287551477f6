import { describe, expect, it } from 'vitest';
import { findings, mcpPolicy, mcpServer } from '../../test/support/policy-resources.ts';
import { noWildcardToolGrantInProd } from './no-wildcard-tool-grant-in-prod.ts';

describe('no-wildcard-tool-grant-in-prod', () => {
  it('accepts named tools and narrow globs', () => {
    expect(findings(noWildcardToolGrantInProd, mcpServer('github') + mcpPolicy('p', '{ name: github, tools: [get_issue, "list_*"] }'), 'production')).toEqual([]);
  });

  it('flags `*` as a server or a tool, in production', () => {
    const yaml = mcpServer('github') + mcpPolicy('p', '{ name: "*", tools: ["*"] }');
    expect(findings(noWildcardToolGrantInProd, yaml, 'production').map((f) => [f.at, f.message])).toEqual([
      ['spec.mcp.servers[0].name', 'Access policy p grants every MCP server (`*`) in production.'],
      ['spec.mcp.servers[0].tools[0]', 'Access policy p grants every tool of * (`*`) in production.'],
    ]);
    expect(noWildcardToolGrantInProd.tiers).toEqual(['production']);
  });
});
