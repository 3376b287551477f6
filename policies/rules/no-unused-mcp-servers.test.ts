import { describe, expect, it } from 'vitest';
import { findings, mcpPolicy, mcpServer } from '../../test/support/policy-resources.ts';
import { noUnusedMcpServers } from './no-unused-mcp-servers.ts';

describe('no-unused-mcp-servers', () => {
  it('accepts servers granted by name or by a glob', () => {
    const yaml = mcpServer('github') + mcpServer('docs-eu') + mcpPolicy('p', '{ name: github, tools: [x] }\n{ name: "docs-*", tools: [y] }');
    expect(findings(noUnusedMcpServers, yaml)).toEqual([]);
  });

  it('flags a server no policy grants, at its name', () => {
    const found = findings(noUnusedMcpServers, mcpServer('github') + mcpServer('old') + mcpPolicy('p', '{ name: github, tools: [x] }'));
    expect(found.map((f) => [f.resource, f.at])).toEqual([['McpServer/old', 'metadata.name']]);
  });
});
