// The MCP gateway as agents see it: the official SDK's Client through `/mcp` and `/mcp/{server}`, in front of two
// servers built with the SDK's McpServer.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ListRootsRequestSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHmac } from 'node:crypto';
import { startGateway } from '../gateway.ts';
import { createLogger } from '../log.ts';
import { createSecretResolver } from '../secrets.ts';
import { TurnBatch } from '../usage-log.ts';
import { readEvent } from './events.ts';
import { parseSecretRef } from '../../kernel/secret-env.ts';
import { MCP_JWT, MCP_KEYS, MCP_UPSTREAM_KEYS, type McpTestGateway, mcpIR, startMcpTestGateway } from '../../test/support/mcp-gateway.ts';

let t: McpTestGateway;
beforeAll(async () => {
  t = await startMcpTestGateway();
});
afterAll(() => t.close());

const FAST_RECONNECT = { initialReconnectionDelay: 10, maxReconnectionDelay: 50, reconnectionDelayGrowFactor: 1, maxRetries: 5 };

async function connect(key: string, path = '/mcp'): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(`${t.gateway.url}${path}`), {
    requestInit: { headers: { authorization: `Bearer ${key}` } },
    reconnectionOptions: FAST_RECONNECT,
  });
  const client = new Client({ name: 'test-agent', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport };
}

const post = (body: string, headers: Record<string, string> = {}, path = '/mcp') =>
  fetch(`${t.gateway.url}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${MCP_KEYS.alice}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body,
  });

describe('the aggregate endpoint /mcp', () => {
  it('lists the granted tools of every server, prefixed, with the reviewed descriptions and risk hints', async () => {
    const { client } = await connect(MCP_KEYS.alice);
    const { tools } = await client.listTools();
    expect(tools.map((x) => x.name).sort()).toEqual([
      'docs__search',
      'github__count_roots',
      'github__delete_issue',
      'github__flaky',
      'github__get_issue',
      'github__slow_count',
    ]);
    const getIssue = tools.find((x) => x.name === 'github__get_issue')!;
    expect(getIssue.description).toBe('Reads one issue (reviewed description).');
    expect(getIssue.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(tools.find((x) => x.name === 'github__delete_issue')!.annotations).toMatchObject({ destructiveHint: true });
    expect(client.getServerVersion()?.name).toBe('modelgate');
    await client.close();
  });

  it('shows a consumer only its grants', async () => {
    const { client } = await connect(MCP_KEYS.bob);
    expect((await client.listTools()).tools.map((x) => x.name)).toEqual(['github__get_issue']);
    await client.close();
  });

  it('calls an allowed tool with the gateway credential injected and the caller credential kept back', async () => {
    const { client } = await connect(MCP_KEYS.alice);
    const before = t.github.requests.length;
    const result = await client.callTool({ name: 'github__get_issue', arguments: { number: 7 } });
    expect(result.content).toEqual([{ type: 'text', text: 'issue 7' }]);
    const upstream = t.github.requests.slice(before);
    expect(upstream.length).toBeGreaterThan(0);
    for (const { headers: h } of upstream) {
      expect(h.authorization).toBe(`Bearer ${MCP_UPSTREAM_KEYS.GITHUB_MCP_TOKEN}`);
      expect(JSON.stringify(h)).not.toContain(MCP_KEYS.alice);
    }
    const docs = await client.callTool({ name: 'docs__search', arguments: { q: 'limits' } });
    expect(docs.content).toEqual([{ type: 'text', text: 'found limits' }]);
    expect(t.docs.requests.at(-1)!.headers['x-api-key']).toBe(MCP_UPSTREAM_KEYS.DOCS_MCP_KEY);
    await client.close();
  });

  it("passes the caller's request id and W3C trace context to the MCP server", async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const transport = new StreamableHTTPClientTransport(new URL(`${t.gateway.url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${MCP_KEYS.alice}`, traceparent, 'x-request-id': 'mcp-req-1' } },
    });
    const client = new Client({ name: 'test-agent', version: '1.0.0' });
    await client.connect(transport);
    const before = t.github.requests.length;
    await client.callTool({ name: 'github__get_issue', arguments: { number: 7 } });
    const upstream = t.github.requests.slice(before);
    expect(upstream.length).toBeGreaterThan(0);
    expect(upstream.every((r) => r.headers.traceparent === traceparent && r.headers['x-request-id'] === 'mcp-req-1')).toBe(true);
    await client.close();
  });

  it('refuses a tool that is not granted with a JSON-RPC error, without forwarding it', async () => {
    const { client } = await connect(MCP_KEYS.bob);
    const executed = t.executed.length;
    await expect(client.callTool({ name: 'github__delete_issue', arguments: { number: 1 } })).rejects.toMatchObject({ code: -32602 });
    await expect(client.callTool({ name: 'docs__admin_reset', arguments: {} })).rejects.toMatchObject({ code: -32602 });
    await expect(client.callTool({ name: 'nosuch__tool', arguments: {} })).rejects.toMatchObject({ code: -32602 });
    expect(t.executed.slice(executed)).toEqual([]);
    expect(
      t
        .usage()
        .filter((u) => u.mcp?.outcome === 'denied')
        .map((u) => [u.consumer, u.mcp.server, u.mcp.tool]),
    ).toEqual(
      expect.arrayContaining([
        ['bob', 'github', 'delete_issue'],
        ['bob', 'docs', 'admin_reset'],
      ]),
    );
    await client.close();
  });

  it('reads a granted resource and hides the others', async () => {
    const { client } = await connect(MCP_KEYS.alice);
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(['repo://acme/readme']);
    const read = await client.readResource({ uri: 'repo://acme/readme' });
    expect(read.contents).toEqual([{ uri: 'repo://acme/readme', text: '# acme' }]);
    await expect(client.readResource({ uri: 'vault://acme/keys' })).rejects.toMatchObject({ code: -32602 });
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual(['github__triage']);
    expect((await client.getPrompt({ name: 'github__triage' })).messages).toHaveLength(1);
    await client.close();
  });

  it('relays progress notifications while a tool runs', async () => {
    const { client } = await connect(MCP_KEYS.alice);
    const progress: number[] = [];
    const result = await client.callTool({ name: 'github__slow_count', arguments: { steps: 3 } }, undefined, {
      onprogress: (p) => void progress.push(p.progress),
    });
    expect(result.content).toEqual([{ type: 'text', text: 'counted to 3' }]);
    expect(progress).toEqual([1, 2, 3]);
    await client.close();
  });

  it('resumes a dropped stream with Last-Event-ID and still delivers the answer', async () => {
    const { client } = await connect(MCP_KEYS.alice);
    const result = await client.callTool({ name: 'github__flaky', arguments: {} });
    expect(result.content).toEqual([{ type: 'text', text: 'survived the dropped stream' }]);
    const resumed = t.github.requests.filter((r) => r.method === 'GET' && r.headers['last-event-id'] !== undefined);
    expect(resumed.length).toBeGreaterThan(0);
    expect(t.usage().some((u) => u.mcp?.tool === 'flaky' && u.mcp.outcome === 'detached')).toBe(true);
    await client.close();
  });

  it('ends the session with DELETE, upstream sessions included', async () => {
    const { client, transport } = await connect(MCP_KEYS.alice);
    const session = transport.sessionId!;
    await client.listTools();
    await transport.terminateSession();
    const deletes = [...t.github.requests, ...t.docs.requests].filter((r) => r.method === 'DELETE');
    expect(deletes.map((r) => typeof r.headers['mcp-session-id'])).toEqual(['string', 'string']);
    const after = await post(JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }), {
      'mcp-session-id': session,
      'mcp-protocol-version': '2025-06-18',
    });
    expect(after.status).toBe(404);
    expect(((await after.json()) as any).error.code).toBe(-32001);
    await client.close();
  });

  it("relays a server's own requests to the client and the client's answers back", async () => {
    const client = new Client({ name: 'test-agent', version: '1.0.0' }, { capabilities: { roots: {} } });
    client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: 'file:///work/acme', name: 'acme' }] }));
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${t.gateway.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${MCP_KEYS.alice}` } },
      }),
    );
    const result = await client.callTool({ name: 'github__count_roots', arguments: {} });
    expect(result.content).toEqual([{ type: 'text', text: '1 roots: file:///work/acme' }]);
    await client.close();
  });

  it('keeps a tool the server adds at runtime hidden while the catalogue is pinned', async () => {
    const { client } = await connect(MCP_KEYS.alice);
    const changed = new Promise<void>((resolve) => client.setNotificationHandler(ToolListChangedNotificationSchema, async () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 50)); // the client's GET stream opens after initialization
    for (const server of t.github.servers) {
      server.registerTool('exfiltrate', { inputSchema: { to: z.string() } }, async () => ({ content: [{ type: 'text', text: 'sent' }] }));
    }
    await changed; // the server's list_changed notification reaches the client on its event stream
    const names = (await client.listTools()).tools.map((x) => x.name);
    expect(names).not.toContain('github__exfiltrate');
    const executed = t.executed.length;
    await expect(client.callTool({ name: 'github__exfiltrate', arguments: { to: 'x' } })).rejects.toMatchObject({ code: -32602 });
    expect(t.executed.length).toBe(executed);
    await client.close();
  });
});

describe('one server at /mcp/{server}', () => {
  it('serves its tools under their own names', async () => {
    const { client } = await connect(MCP_KEYS.alice, '/mcp/docs');
    expect((await client.listTools()).tools.map((x) => x.name)).toEqual(['search']);
    expect((await client.callTool({ name: 'search', arguments: { q: 'x' } })).content).toEqual([{ type: 'text', text: 'found x' }]);
    expect(client.getServerVersion()?.name).toBe('docs');
    await client.close();
  });

  it('sends an answer streamed as one event with its length, so that the client has it whole without a last chunk', async () => {
    const { client, transport } = await connect(MCP_KEYS.alice, '/mcp/github');
    const r = await post(
      JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'get_issue', arguments: { number: 8 } } }),
      { 'mcp-session-id': transport.sessionId!, 'mcp-protocol-version': transport.protocolVersion! },
      '/mcp/github',
    );
    const body = await r.text();
    expect(r.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(r.headers.get('transfer-encoding')).toBeNull();
    expect(Number(r.headers.get('content-length'))).toBe(Buffer.byteLength(body));
    expect(readEvent(Buffer.from(body))).toMatchObject({ data: expect.stringContaining('"issue 8"') });
    await client.close();
  });

  it('is not found for a consumer without a grant on it', async () => {
    const r = await post(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
      }),
      { authorization: `Bearer ${MCP_KEYS.bob}` },
      '/mcp/docs',
    );
    expect(r.status).toBe(404);
    expect(((await r.json()) as any).error.code).toBe(-32003);
  });
});

describe('replicas behind a load balancer', () => {
  const SESSION_KEY = 'mcp-session-key-for-tests-only-0123456789';

  /** Two gateways on the same servers, `sessionKey` set in both or neither, and a client whose requests alternate. */
  async function replicas(shared: boolean) {
    const start = () => {
      const ir = mcpIR(t.github, t.docs);
      if (shared) ir.gateway.mcp = { sessionKey: parseSecretRef('env:MCP_SESSION_KEY') };
      return startGateway({
        ir,
        secrets: createSecretResolver({ ...MCP_UPSTREAM_KEYS, MCP_JWT_SECRET: MCP_JWT.secret, MCP_SESSION_KEY: SESSION_KEY }),
        // The config logs usage to stdout, which is the test runner's.
        usageLog: new TurnBatch(() => {}),
        log: createLogger('error', () => {}),
      });
    };
    const gateways = [await start(), await start()];
    let served = 0;
    const roundRobin = (url: string | URL, init?: RequestInit) =>
      fetch(String(url).replace(gateways[0].url, gateways[served++ % 2].url), init);
    const client = new Client({ name: 'test-agent', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`${gateways[0].url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${MCP_KEYS.alice}` } },
      fetch: roundRobin,
    });
    return {
      connect: () => client.connect(transport),
      client,
      served: () => served,
      async close() {
        await client.close().catch(() => {});
        await Promise.all(gateways.map((g) => g.shutdown(200)));
      },
    };
  }

  it('with a shared session key, continue a session on any replica', async () => {
    const r = await replicas(true);
    try {
      await r.connect();
      for (let i = 0; i < 3; i++) {
        const answer = await r.client.callTool({ name: 'docs__search', arguments: { q: `q${i}` } });
        expect(answer.content).toEqual([{ type: 'text', text: `found q${i}` }]);
      }
      expect(r.served()).toBeGreaterThanOrEqual(5); // initialize, initialized, then calls on both replicas
    } finally {
      await r.close();
    }
  });

  it('without one, tell the client on the other replica that its session is unknown', async () => {
    const r = await replicas(false);
    try {
      // `initialize` lands on one replica, the `initialized` notification that follows on the other.
      await expect(r.connect()).rejects.toThrow(/Session not found: initialize a new session/);
    } finally {
      await r.close();
    }
  });

  it('does not start with a key too short to resist guessing, and names the reference', async () => {
    const ir = mcpIR(t.github, t.docs);
    ir.gateway.mcp = { sessionKey: parseSecretRef('env:MCP_SESSION_KEY') };
    const started = startGateway({
      ir,
      secrets: createSecretResolver({ ...MCP_UPSTREAM_KEYS, MCP_JWT_SECRET: MCP_JWT.secret, MCP_SESSION_KEY: 'short-PLANTED' }),
      log: createLogger('error', () => {}),
    });
    await expect(started).rejects.toThrow('gateway.mcp.sessionKey (env:MCP_SESSION_KEY) must be at least 32 characters; it has 13.');
    await expect(started).rejects.not.toThrow(/PLANTED/);
  });
});

describe('limits, redaction and accounting', () => {
  it('redacts tool arguments when the policy asks, and limits calls per minute', async () => {
    const { client } = await connect(MCP_KEYS.bob);
    const first = await client.callTool({ name: 'github__get_issue', arguments: { number: 1, note: 'mail bob@example.com' } });
    expect(first.content).toEqual([{ type: 'text', text: 'issue 1: mail [REDACTED:email]' }]);
    await client.callTool({ name: 'github__get_issue', arguments: { number: 2 } });
    await client.callTool({ name: 'github__get_issue', arguments: { number: 3 } });
    await expect(client.callTool({ name: 'github__get_issue', arguments: { number: 4 } })).rejects.toMatchObject({ code: -32002 });
    expect(t.executed).not.toContain('get_issue:{"number":4}');
    await client.close();
  });

  it('writes a usage line per tool call and metrics per server and tool', async () => {
    const line = t.usage().find((u) => u.mcp?.tool === 'get_issue' && u.consumer === 'alice')!;
    expect(line).toMatchObject({ route: null, provider: null, status: 200, mcp: { server: 'github', tool: 'get_issue', outcome: 'ok' } });
    expect(line.mcp.requestBytes).toBeGreaterThan(0);
    expect(line.mcp.responseBytes).toBeGreaterThan(0);
    const metrics = await (await fetch(`${t.gateway.url}/metrics`)).text();
    expect(metrics).toContain('modelgate_mcp_tool_calls_total{server="github",tool="get_issue",consumer="alice",outcome="ok"}');
    expect(metrics).toMatch(/modelgate_mcp_tool_call_duration_seconds_count\{server="docs",tool="search",outcome="ok"\} \d/);
    expect(metrics).toContain('modelgate_mcp_tool_calls_total{server="",tool="",consumer="bob",outcome="denied"}');
  });
});

describe('bad requests', () => {
  it('answers bad JSON-RPC with JSON-RPC errors, and keeps serving', async () => {
    const cases: [string, number, number][] = [
      ['{not json', 400, -32700],
      ['[{"jsonrpc":"2.0","id":1,"method":"ping"}]', 400, -32600],
      ['{"id":1,"method":"ping"}', 400, -32600],
      ['{"jsonrpc":"2.0","id":{},"method":"ping"}', 400, -32600],
      ['{"jsonrpc":"2.0","id":1,"method":"tools/list","params":[1]}', 400, -32600],
      ['"just a string"', 400, -32600],
    ];
    for (const [body, status, code] of cases) {
      const r = await post(body);
      expect([body, r.status]).toEqual([body, status]);
      const answer = await r.json();
      expect(answer).toMatchObject({ jsonrpc: '2.0', id: null, error: { code } });
      expect(JSON.stringify(answer)).not.toMatch(/at .*\.ts:\d+/);
    }
    const noSession = await post('{"jsonrpc":"2.0","id":1,"method":"tools/list"}');
    expect(noSession.status).toBe(400);
    const forged = await post('{"jsonrpc":"2.0","id":1,"method":"tools/list"}', {
      'mcp-session-id': 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    });
    expect(forged.status).toBe(404);
    const { client, transport } = await connect(MCP_KEYS.alice);
    const unknown = await post('{"jsonrpc":"2.0","id":5,"method":"tasks/list"}', { 'mcp-session-id': transport.sessionId! });
    expect(await unknown.json()).toMatchObject({ id: 5, error: { code: -32601 } });
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await client.close();
  });

  it('authenticates JWT callers as for models', async () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ iss: MCP_JWT.issuer, aud: 'modelgate', sub: 'svc-dave', exp: Math.floor(Date.now() / 1000) + 300 })}`;
    const { client } = await connect(`${body}.${createHmac('sha256', MCP_JWT.secret).update(body).digest('base64url')}`);
    expect((await client.listTools()).tools.map((x) => x.name)).toEqual(['github__get_issue']);
    await client.close();
  });

  it('does not start without the credential an MCP server references, and names the reference', async () => {
    const started = startGateway({
      ir: mcpIR(t.github, t.docs),
      secrets: createSecretResolver({ MCP_JWT_SECRET: MCP_JWT.secret }),
      log: createLogger('error', () => {}),
    });
    await expect(started).rejects.toThrow(/^env:(STALE_DOCS_KEY|DOCS_MCP_KEY|GITHUB_MCP_TOKEN) is not set$/);
  });

  it('refuses a missing or wrong key with 401 and a JSON-RPC error', async () => {
    const r = await post('{"jsonrpc":"2.0","id":1,"method":"ping"}', { authorization: 'Bearer nope' });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toBe('Bearer');
    expect(((await r.json()) as any).error.code).toBe(-32003);
    expect(await post('{}', {}, '/mcp').then((x) => x.status)).toBe(400);
    const put = await fetch(`${t.gateway.url}/mcp`, { method: 'PUT' });
    expect([put.status, put.headers.get('allow')]).toEqual([405, 'GET, POST, DELETE']);
  });

  it('never writes an upstream credential into a log line or an answer', async () => {
    const init = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
    });
    const refused = await post(init, {}, '/mcp/broken');
    const answer = await refused.text();
    expect(answer).toContain(`rejected the gateway's credential`);
    const text = `${t.logText()}\n${answer}`;
    expect(t.logText()).toContain('an MCP server could not be initialized');
    for (const secret of Object.values(MCP_UPSTREAM_KEYS)) expect(text).not.toContain(secret);
    expect(text).toContain('"mcp":');
  });
});
