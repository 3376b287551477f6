import { describe, expect, it } from 'vitest';
import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { prodMcpServerHttps } from './prod-mcp-server-https.ts';

const server = (url: string) => doc('McpServer', 'tools', `url: ${url}`);

ruleTester.run(prodMcpServerHttps, {
  valid: [
    {
      name: 'HTTPS, and plain HTTP to a loopback sidecar',
      yaml: server('https://mcp.example/mcp') + doc('McpServer', 'sidecar', 'url: http://127.0.0.1:9000/mcp'),
    },
  ],
  invalid: [
    {
      name: 'plain HTTP in production, at the url',
      yaml: server('http://mcp.internal:8080/mcp'),
      errors: [{ message: 'MCP server tools is reached over plain HTTP in production.', line: 8, column: 8, path: 'spec.url' }],
    },
  ],
});

describe('prod-mcp-server-https', () => {
  it('runs in production only', () => {
    expect(prodMcpServerHttps.tiers).toEqual(['production']);
  });
});
