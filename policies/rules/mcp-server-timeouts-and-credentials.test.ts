// MCP servers in the rules that cover them along with providers: timeouts-bounded and provider-credential-is-reference.
import { describe, expect, it } from 'vitest';
import { doc } from '../../test/support/policy-resources.ts';
import { ruleDiagnostics, ruleTester, type InvalidCase } from '../../test/support/rule-tester.ts';
import { noLiteralCredentials } from './no-literal-credentials.ts';
import { providerCredentialIsReference } from './provider-credential-is-reference.ts';
import { timeoutsBounded } from './timeouts-bounded.ts';

/** McpServer documents `a`, `b`, `c`, ... with these specs, in order. */
const servers = (...specs: string[]) => specs.map((spec, i) => doc('McpServer', 'abc'[i]!, spec)).join('');

ruleTester.run(timeoutsBounded, {
  valid: [{ name: 'an MCP server with a bounded timeout', yaml: doc('McpServer', 'c', 'url: https://c.example/mcp\ntimeout: 20s') }],
  invalid: [
    {
      name: 'MCP servers without timeout or with one out of range',
      yaml: servers('url: https://a.example/mcp', 'url: https://b.example/mcp\ntimeout: 1h', 'url: https://c.example/mcp\ntimeout: 20s'),
      errors: [
        { message: 'MCP server a sets no timeout.', line: 8, column: 3, resource: 'McpServer/a' },
        { message: 'MCP server b has a timeout of 1h, outside 1s to 10m.', line: 17, column: 12, resource: 'McpServer/b' },
      ],
    },
  ],
});

const credentialsInUrl: InvalidCase = {
  name: 'credentials in the URL of MCP servers',
  yaml: servers(
    'url: https://bot:pw@a.example/mcp',
    'url: https://b.example/mcp?api_key=abc123secret&x=1',
    'url: https://c.example/mcp?page=2',
  ),
  errors: [
    { message: 'The url of MCP server a carries a user name or password.', line: 8, column: 8, path: 'spec.url', resource: 'McpServer/a' },
    {
      message: 'The url of MCP server b carries a credential in its query (`api_key`).',
      line: 16,
      column: 8,
      path: 'spec.url',
      resource: 'McpServer/b',
    },
  ],
};

ruleTester.run(providerCredentialIsReference, {
  valid: [{ name: 'an MCP server URL with an ordinary query', yaml: doc('McpServer', 'c', 'url: https://c.example/mcp?page=2') }],
  invalid: [credentialsInUrl],
});

ruleTester.run(noLiteralCredentials, {
  valid: [{ name: 'an MCP server URL without a key', yaml: doc('McpServer', 'a', 'url: https://a.example/mcp?x=1') }],
  invalid: [
    {
      name: 'a literal key in the URL of an MCP server, like in every document',
      yaml: doc('McpServer', 'a', 'url: https://a.example/mcp?x=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB'),
      errors: [{ message: 'A literal GitHub token is written at `spec.url`.', line: 8, column: 8, path: 'spec.url' }],
    },
  ],
});

describe('MCP servers', () => {
  it('keep credentials out of their URL without the finding repeating them', () => {
    expect(JSON.stringify(ruleDiagnostics(providerCredentialIsReference, credentialsInUrl))).not.toContain('abc123secret');
  });
});
