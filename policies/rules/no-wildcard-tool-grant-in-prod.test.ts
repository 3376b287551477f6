import { describe, expect, it } from 'vitest';
import { mcpPolicy, mcpServer } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { noWildcardToolGrantInProd } from './no-wildcard-tool-grant-in-prod.ts';

ruleTester.run(noWildcardToolGrantInProd, {
  valid: [
    { name: 'named tools and narrow globs', yaml: mcpServer('github') + mcpPolicy('p', '{ name: github, tools: [get_issue, "list_*"] }') },
  ],
  invalid: [
    {
      name: '`*` as a server or a tool, in production',
      yaml: mcpServer('github') + mcpPolicy('p', '{ name: "*", tools: ["*"] }'),
      errors: [
        { message: 'Access policy p grants every MCP server (`*`) in production.', line: 20, column: 17, path: 'spec.mcp.servers[0].name' },
        {
          message: 'Access policy p grants every tool of * (`*`) in production.',
          line: 20,
          column: 30,
          path: 'spec.mcp.servers[0].tools[0]',
        },
      ],
    },
  ],
});

describe('no-wildcard-tool-grant-in-prod', () => {
  it('runs in production only', () => {
    expect(noWildcardToolGrantInProd.tiers).toEqual(['production']);
  });
});
