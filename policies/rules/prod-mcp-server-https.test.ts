import { describe, expect, it } from 'vitest';
import { doc, findings } from '../../test/support/policy-resources.ts';
import { prodMcpServerHttps } from './prod-mcp-server-https.ts';

const server = (url: string) => doc('McpServer', 'tools', `url: ${url}`);

describe('prod-mcp-server-https', () => {
  it('accepts HTTPS, and plain HTTP to a loopback sidecar', () => {
    expect(findings(prodMcpServerHttps, server('https://mcp.example/mcp') + doc('McpServer', 'sidecar', 'url: http://127.0.0.1:9000/mcp'), 'production')).toEqual([]);
  });

  it('flags plain HTTP in production', () => {
    expect(findings(prodMcpServerHttps, server('http://mcp.internal:8080/mcp'), 'production').map((f) => f.at)).toEqual(['spec.url']);
    expect(prodMcpServerHttps.tiers).toEqual(['production']);
  });
});
