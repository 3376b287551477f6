// MCP servers in the rules that cover them along with providers: timeouts-bounded and provider-credential-is-reference.
import { describe, expect, it } from 'vitest';
import { doc, findings } from '../../test/support/policy-resources.ts';
import { noLiteralCredentials } from './no-literal-credentials.ts';
import { providerCredentialIsReference } from './provider-credential-is-reference.ts';
import { timeoutsBounded } from './timeouts-bounded.ts';

describe('MCP servers', () => {
  it('need a bounded timeout', () => {
    const yaml = doc('McpServer', 'a', 'url: https://a.example/mcp') + doc('McpServer', 'b', 'url: https://b.example/mcp\ntimeout: 1h') + doc('McpServer', 'c', 'url: https://c.example/mcp\ntimeout: 20s');
    expect(findings(timeoutsBounded, yaml).map((f) => `${f.resource} ${f.message}`)).toEqual([
      'McpServer/a MCP server a sets no timeout.',
      'McpServer/b MCP server b has a timeout of 1h, outside 1s to 10m.',
    ]);
  });

  it('keep credentials out of their URL, without repeating them', () => {
    const yaml = doc('McpServer', 'a', 'url: https://bot:pw@a.example/mcp') + doc('McpServer', 'b', 'url: https://b.example/mcp?api_key=abc123secret&x=1') + doc('McpServer', 'c', 'url: https://c.example/mcp?page=2');
    const found = findings(providerCredentialIsReference, yaml);
    expect(found.map((f) => `${f.resource} ${f.at} ${f.message}`)).toEqual([
      'McpServer/a spec.url The url of MCP server a carries a user name or password.',
      'McpServer/b spec.url The url of MCP server b carries a credential in its query (`api_key`).',
    ]);
    expect(JSON.stringify(found)).not.toContain('abc123secret');
  });

  it('are scanned for literal keys like every document', () => {
    const yaml = doc('McpServer', 'a', 'url: https://a.example/mcp?x=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB');
    expect(findings(noLiteralCredentials, yaml).map((f) => f.at)).toEqual(['spec.url']);
  });
});
