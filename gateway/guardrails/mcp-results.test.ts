// The response-side guardrails of an access policy on MCP tool results, through the official MCP SDK client against
// SDK servers answering as JSON and as an event stream: a block replaces the result with a JSON-RPC error, a mask
// rewrites the result's texts (content and structuredContent), a flag only records; remote checkers with each
// `onError`. Verdicts in the tool call's usage line, never the text.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type MockService, startMockModeration, startMockWebhook } from '../../test/mock-providers/guardrail-services.ts';
import { testGuardrail, testPolicy } from '../../test/support/ir-fixture.ts';
import { callToolAs, MCP_KEYS, type McpTestGateway, startMcpTestGateway } from '../../test/support/mcp-gateway.ts';
import { type McpUpstream, startMcpUpstream } from '../../test/support/mcp-upstream.ts';

// Assembled at run time, so that this file holds no token-shaped literal.
const PLANTED = 'ghp_' + 'PLANTEDmcpResultToken0123456789abcdef';

/** `echo` answers `text` as its content and `note` as its structured content, after one progress notification. */
function echoServer(s: McpServer) {
  s.registerTool(
    'echo',
    { inputSchema: { text: z.string(), note: z.string() }, outputSchema: { note: z.string() } },
    async (args, extra) => {
      const token = extra._meta?.progressToken;
      if (token !== undefined)
        await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: 1, total: 1 } });
      return { content: [{ type: 'text', text: args.text }], structuredContent: { note: args.note } };
    },
  );
  s.registerTool('report', { inputSchema: { text: z.string() } }, async (args) => ({
    content: [{ type: 'resource', resource: { uri: 'report://latest', mimeType: 'text/plain', text: args.text } }],
  }));
  // Drops the client's stream before answering (the SDK's polling pattern): the answer comes on a resumed stream.
  s.registerTool('dropped', { inputSchema: { text: z.string() } }, async (args, extra) => {
    extra.closeSSEStream?.();
    await new Promise((resolve) => setTimeout(resolve, 30));
    return { content: [{ type: 'text', text: args.text }] };
  });
}

/**
 * The timeout of the two slow checkers, which only carol's calls go through (the timeout test's): short, as nothing
 * else waits on them. Their service answers that test after twice as long, and in this process, so that the
 * gateway's timer, started first and shorter, always fires first however busy the machine.
 */
const SLOW_TIMEOUT_MS = 100;

let t: McpTestGateway;
let jsonServer: McpUpstream, sseServer: McpUpstream;
let webhook: MockService, moderation: MockService, slow: MockService;
beforeAll(async () => {
  [jsonServer, sseServer, webhook, moderation, slow] = await Promise.all([
    startMcpUpstream({ name: 'json', setup: echoServer, json: true }),
    startMcpUpstream({ name: 'sse', setup: echoServer }),
    startMockWebhook(),
    startMockModeration(),
    startMockWebhook(),
  ]);
  t = await startMcpTestGateway((ir) => {
    const out = { stage: 'response' as const };
    const slowHook = { type: 'webhook' as const, url: slow.origin, credential: null };
    ir.guardrails = [
      testGuardrail('mails-out', { type: 'pii', detectors: ['email'], patterns: [] }, { ...out, action: 'mask' }),
      testGuardrail('topics-out', { type: 'deniedTopics', words: ['merger'] }, { ...out, action: 'flag' }),
      testGuardrail('no-secrets-out', { type: 'secrets' }, out),
      testGuardrail('hook-out', { type: 'webhook', url: `${webhook.origin}/check`, credential: null }, { ...out, action: 'mask' }),
      testGuardrail(
        'mod-out',
        { type: 'moderation', url: `${moderation.origin}/v1/moderations`, credential: null, thresholds: { violence: 0.5 } },
        out,
      ),
      testGuardrail('slow-allow', slowHook, { ...out, timeoutMs: SLOW_TIMEOUT_MS, onError: 'allow' }),
      testGuardrail('slow-deny', slowHook, { ...out, timeoutMs: SLOW_TIMEOUT_MS, onError: 'deny' }),
    ];
    // docs answers as JSON, github as an event stream; alice's policy runs the built-in checkers, bob's the remote
    // ones, carol's the slow ones.
    for (const s of ir.mcpServers ?? []) {
      if (s.name === 'docs') s.url = jsonServer.url;
      if (s.name === 'github') s.url = sseServer.url;
      delete s.tools;
    }
    const [agents, readers] = ir.accessPolicies;
    const slowed = testPolicy('slowed', { consumers: ['carol'] });
    ir.accessPolicies.push(slowed);
    agents!.guardrails = ['mails-out', 'topics-out', 'no-secrets-out'];
    readers!.guardrails = ['hook-out', 'mod-out'];
    slowed.guardrails = ['slow-allow', 'slow-deny'];
    const grant = (server: string) => ({ server, tools: ['*'], excludeTools: [], resources: [], prompts: [] });
    for (const p of [agents!, readers!, slowed]) p.mcp = { servers: [grant('docs'), grant('github')], redactArguments: false };
  });
});
afterAll(async () => {
  await t.close();
  await Promise.all([jsonServer, sseServer, webhook, moderation, slow].map((s) => s.close()));
});
beforeEach(() => {
  slow.delayMs = 0;
  webhook.received.length = 0;
});

const echo = (key: string, server: string, text: string, note = 'plain note', onprogress?: () => void) =>
  callToolAs(t, key, { name: `${server}__echo`, arguments: { text, note } }, onprogress);
const lastToolLine = () => t.lastToolLine();

describe.each([
  { answer: 'JSON', server: 'docs', stream: false },
  { answer: 'an event stream', server: 'github', stream: true },
])('guardrails on MCP tool results answered as $answer', ({ server, stream }) => {
  it('replaces a result that carries a credential with a JSON-RPC error naming the guardrail, never the text', async () => {
    const err = await echo(MCP_KEYS.alice, server, `the token is ${PLANTED}`).catch((e) => e);
    expect(err.code).toBe(-32602);
    expect(err.message).toContain('The answer was blocked by guardrail "no-secrets-out" (secret)');
    expect(err.message).not.toContain('PLANTED');
    expect(lastToolLine()).toMatchObject({
      stream,
      mcp: { server, tool: 'echo', outcome: 'denied' },
      guardrails: [{ guardrail: 'no-secrets-out', stage: 'response', action: 'block', categories: ['secret'] }],
    });
    expect(t.logText()).not.toContain('PLANTED');
  });

  it('masks addresses in the content and the structured content', async () => {
    const result = await echo(MCP_KEYS.alice, server, 'write to ana@example.com', 'cc bob@example.com');
    expect(result.content).toEqual([{ type: 'text', text: 'write to [REDACTED:email]' }]);
    expect(result.structuredContent).toEqual({ note: 'cc [REDACTED:email]' });
    expect(lastToolLine()).toMatchObject({
      stream,
      mcp: { outcome: 'ok' },
      guardrails: [{ guardrail: 'mails-out', stage: 'response', action: 'mask', categories: ['pii:email'] }],
    });
    expect(t.logText()).not.toContain('ana@example.com');
  });

  it('masks the text of an embedded resource', async () => {
    const result = await callToolAs(t, MCP_KEYS.alice, { name: `${server}__report`, arguments: { text: 'owner ana@example.com' } });
    expect(result.content).toEqual([
      { type: 'resource', resource: { uri: 'report://latest', mimeType: 'text/plain', text: 'owner [REDACTED:email]' } },
    ]);
  });

  it('passes a flagged result unchanged and records the verdict, in the usage line and the metrics', async () => {
    const result = await echo(MCP_KEYS.alice, server, 'the merger is on');
    expect(result.content).toEqual([{ type: 'text', text: 'the merger is on' }]);
    expect(lastToolLine()).toMatchObject({
      mcp: { outcome: 'ok' },
      guardrails: [{ guardrail: 'topics-out', stage: 'response', action: 'flag', categories: ['topic:merger'] }],
    });
    const metrics = await t.gateway.metrics.text();
    expect(metrics).toMatch(/modelgate_guardrail_verdicts_total\{guardrail="topics-out",action="flag",category="topic:merger"\} [1-9]/);
  });

  it('lets a result no guardrail matches through as the server sent it, with no verdict', async () => {
    const result = await echo(MCP_KEYS.alice, server, 'all clear');
    expect(result).toMatchObject({ content: [{ type: 'text', text: 'all clear' }], structuredContent: { note: 'plain note' } });
    expect(lastToolLine().guardrails).toBeUndefined();
  });

  it('masks through a webhook, which is sent the result texts at the response stage', async () => {
    const result = await echo(MCP_KEYS.bob, server, 'a forbidden word', 'also forbidden');
    expect(result.content).toEqual([{ type: 'text', text: 'a [removed] word' }]);
    expect(result.structuredContent).toEqual({ note: 'also [removed]' });
    expect(webhook.received.at(-1)!.body).toEqual({
      guardrail: 'hook-out',
      stage: 'response',
      texts: ['a forbidden word', 'also forbidden'],
    });
    expect(lastToolLine()).toMatchObject({ guardrails: [{ guardrail: 'hook-out', action: 'mask', categories: ['house-rule'] }] });
  });

  it('blocks through a moderation service', async () => {
    const err = await echo(MCP_KEYS.bob, server, 'I will kill the process').catch((e) => e);
    expect(err.code).toBe(-32602);
    expect(err.message).toContain('blocked by guardrail "mod-out" (moderation:violence)');
    expect(lastToolLine()).toMatchObject({ mcp: { outcome: 'denied' } });
  });

  it('lets a result through a checker past its timeout under onError allow, and refuses it under deny', async () => {
    slow.delayMs = 2 * SLOW_TIMEOUT_MS;
    const err = await echo(MCP_KEYS.carol, server, 'all clear').catch((e) => e);
    expect(err.code).toBe(-32603);
    expect(err.message).toContain('Guardrail "slow-deny" could not check the response (timeout)');
    expect(lastToolLine()).toMatchObject({
      mcp: { outcome: 'denied' },
      guardrails: [
        { guardrail: 'slow-allow', stage: 'response', action: 'error', categories: ['timeout'] },
        { guardrail: 'slow-deny', stage: 'response', action: 'error', categories: ['timeout'] },
      ],
    });
  });
});

describe('guardrails on a tool result streamed with progress', () => {
  it('relays the progress notifications as they come and checks the answer', async () => {
    let progress = 0;
    const result = await echo(MCP_KEYS.alice, 'github', 'to ana@example.com', 'plain note', () => progress++);
    expect(progress).toBe(1);
    expect(result.content).toEqual([{ type: 'text', text: 'to [REDACTED:email]' }]);
  });
});

describe('guardrails on a tool result the client fetches by resuming a dropped stream', () => {
  it('withholds it when the policy checks results, as the gateway cannot tell which tool it answers', async () => {
    const err = await callToolAs(t, MCP_KEYS.alice, { name: 'github__dropped', arguments: { text: 'to ana@example.com' } }).catch((e) => e);
    expect(err.code).toBe(-32603);
    expect(err.message).toContain('arrives on a resumed stream');
    expect(err.message).not.toContain('ana@example.com');
    expect(sseServer.requests.some((r) => r.method === 'GET' && r.headers['last-event-id'] !== undefined)).toBe(true);
  });
});
