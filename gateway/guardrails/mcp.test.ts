// The request-side guardrails of an access policy on MCP tool-call arguments, through the official MCP SDK client:
// a block is a JSON-RPC error and the tool never runs, a mask reaches the server masked, verdicts in the tool
// call's usage line, never the text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testGuardrail } from '../../test/support/ir-fixture.ts';
import { callToolAs, MCP_KEYS, type McpTestGateway, startMcpTestGateway } from '../../test/support/mcp-gateway.ts';

// Assembled at run time, so that this file holds no token-shaped literal.
const PLANTED = 'ghp_' + 'PLANTEDmcpGuardrailToken0123456789abcd';

let t: McpTestGateway;
beforeAll(async () => {
  t = await startMcpTestGateway((ir) => {
    ir.guardrails = [
      testGuardrail('no-secrets', { type: 'secrets' }),
      testGuardrail('mails', { type: 'pii', detectors: ['email'], patterns: [] }, { action: 'mask' }),
    ];
    ir.accessPolicies[0]!.guardrails = ['no-secrets', 'mails'];
  });
});
afterAll(() => t.close());

const search = (q: string) => callToolAs(t, MCP_KEYS.alice, { name: 'docs__search', arguments: { q } });
const lastToolLine = () => t.lastToolLine();

describe('guardrails on MCP tool arguments', () => {
  it('refuses a call whose arguments carry a credential with a JSON-RPC error; the tool never runs', async () => {
    const before = t.executed.length;
    const err = await search(`token ${PLANTED}`).catch((e) => e);
    expect(err.message).toContain('blocked by guardrail "no-secrets" (secret)');
    expect(t.executed.length).toBe(before);
    expect(lastToolLine()).toMatchObject({
      mcp: { server: 'docs', tool: 'search', outcome: 'denied' },
      guardrails: [{ guardrail: 'no-secrets', stage: 'request', action: 'block', categories: ['secret'] }],
    });
    expect(t.logText()).not.toContain('PLANTED');
  });

  it('masks an address before the server sees it', async () => {
    await search('mail bob@example.com');
    expect(t.executed.at(-1)).toBe('search:{"q":"mail [REDACTED:email]"}');
    expect(lastToolLine()).toMatchObject({ mcp: { outcome: 'ok' }, guardrails: [{ guardrail: 'mails', action: 'mask' }] });
  });
});
