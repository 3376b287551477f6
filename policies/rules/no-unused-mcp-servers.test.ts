import { mcpPolicy, mcpServer } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { noUnusedMcpServers } from './no-unused-mcp-servers.ts';

ruleTester.run(noUnusedMcpServers, {
  valid: [
    {
      name: 'servers granted by name or by a glob',
      yaml: mcpServer('github') + mcpServer('docs-eu') + mcpPolicy('p', '{ name: github, tools: [x] }\n{ name: "docs-*", tools: [y] }'),
    },
  ],
  invalid: [
    {
      name: 'a server no policy grants, at its name',
      yaml: mcpServer('github') + mcpServer('old') + mcpPolicy('p', '{ name: github, tools: [x] }'),
      errors: [
        {
          message: 'MCP server old is not granted by any access policy.',
          line: 14,
          column: 9,
          path: 'metadata.name',
          resource: 'McpServer/old',
        },
      ],
    },
  ],
});
