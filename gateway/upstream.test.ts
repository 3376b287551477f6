// Upstream exchanges against a scripted 127.0.0.1 server: the request as it goes out (raw header list, Host,
// keep-alive) and the response size limit (`gateway.limits.maxResponseBytes`) on JSON answers and streams.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUpstreamRoute, startTestGateway, type TestGateway } from '../test/support/gateway-fixture.ts';
import { KEYS } from '../test/support/ir-fixture.ts';
import { UpstreamFailure } from './providers/upstream-errors.ts';
import { CancelScope, OriginPool, UpstreamExchange } from './upstream.ts';

const LIMIT = 64 * 1024;

type Script = (res: http.ServerResponse) => void;
let t: TestGateway;
let upstream: http.Server;
let next: Script = () => {};
/** Every request the upstream received. */
const received: http.IncomingMessage[] = [];

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    received.push(req);
    req.resume().once('end', () => next(res));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  t = await startTestGateway((ir) => {
    ir.gateway.limits.maxResponseBytes = LIMIT;
    addUpstreamRoute(ir, 'scripted', origin, { headers: { 'x-team': 'ml' } });
  });
});
afterAll(async () => {
  await t.close();
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

async function chat(script: Script, stream = false): Promise<{ status: number; text: string; usage: any }> {
  next = script;
  const response = await fetch(`${t.gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEYS.alice}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'scripted', messages: [{ role: 'user', content: 'hi' }], stream }),
  });
  const text = await response.text();
  const id = response.headers.get('x-request-id');
  return { status: response.status, text, usage: t.usage.find((u) => u.requestId === id) };
}

const completion = (content: string) =>
  JSON.stringify({
    id: 'c',
    object: 'chat.completion',
    created: 1,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 3, completion_tokens: 2 },
  });
/** A completion whose body is exactly `bytes` long. */
const completionOf = (bytes: number) => completion('x'.repeat(bytes - completion('').length));
const event = (content: string) =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
const json =
  (body: string, declareLength = true): Script =>
  (res) => {
    res.writeHead(200, { 'content-type': 'application/json', ...(declareLength ? { 'content-length': Buffer.byteLength(body) } : {}) });
    res.end(body);
  };
const sse =
  (pieces: string[]): Script =>
  (res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const piece of pieces) res.write(piece);
    res.end();
  };

describe('requests to a provider', () => {
  it('carry Host, keep-alive, the configured headers and the length of the body', async () => {
    received.length = 0;
    expect((await chat(json(completion('ok')))).status).toBe(200);
    const [{ headers }] = received;
    expect(headers.host).toBe(
      new URL(`http://${(upstream.address() as AddressInfo).address}:${(upstream.address() as AddressInfo).port}`).host,
    );
    expect(headers.connection).toBe('keep-alive');
    expect(headers['x-team']).toBe('ml');
    expect(headers['content-type']).toBe('application/json');
    expect(Number(headers['content-length'])).toBeGreaterThan(0);
  });
});

describe('a request that cannot be sent as it is', () => {
  it.each([
    ['a header value with CR LF', ['x-evil', 'a\r\nx-injected: 1']],
    ['a header value with NUL', ['x-evil', 'a\0']],
    ['a header name with a space', ['x evil', 'a']],
  ])('fails as a reset before a byte is written: %s', async (_what, header) => {
    const { port } = upstream.address() as AddressInfo;
    const pool = new OriginPool(`http://127.0.0.1:${port}`);
    const before = received.length;
    const endpoint = { protocol: 'http:' as const, hostname: '127.0.0.1', port, path: '/v1/chat/completions', host: `127.0.0.1:${port}` };
    const ex = new UpstreamExchange(
      { endpoint, headers: ['host', endpoint.host, ...header], body: '{}' },
      pool,
      5_000,
      new CancelScope(),
      LIMIT,
    );
    const failure = await ex.status.then(
      () => undefined,
      (f: unknown) => f,
    );
    expect(failure).toBeInstanceOf(UpstreamFailure);
    expect((failure as UpstreamFailure).kind).toBe('reset');
    // A request that did go out in the meantime would be here by now.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received.length).toBe(before);
    await pool.destroy();
  });
});

describe('an upstream answer over maxResponseBytes', () => {
  it('passes an answer of exactly the limit byte for byte, apart from its model named as asked', async () => {
    const body = completionOf(LIMIT);
    const reply = await chat(json(body, false));
    expect(reply.status).toBe(200);
    expect(reply.text).toBe(body.replace('"model":"gpt-4o-mini"', '"model":"scripted"'));
    expect(reply.usage).toMatchObject({ status: 200, inputTokens: 3, outputTokens: 2 });
  });

  it.each([
    ['declared by content-length', true],
    ['sent without a length', false],
  ])('is a 502 upstream_response_too_large when %s, with its usage line', async (_what, declareLength) => {
    const before = received.length;
    const reply = await chat(json(completionOf(LIMIT + 1), declareLength));
    expect(reply.status).toBe(502);
    expect(JSON.parse(reply.text).error).toMatchObject({ type: 'api_error', code: 'upstream_response_too_large' });
    expect(reply.usage).toMatchObject({ status: 502, error: 'upstream_response_too_large', provider: 'scripted', attempts: 1 });
    // Not retried (the route retries resets and 5xx), and the connection it came on is not reused.
    expect(received.length).toBe(before + 1);
    await chat(json(completion('next')));
    expect(received.at(-1)!.socket).not.toBe(received.at(-2)!.socket);
  });

  it('is a 502 for a stream that sends too much before its first whole event', async () => {
    const reply = await chat(sse([`data: {"partial":"${'z'.repeat(LIMIT)}`]), true);
    expect(reply.status).toBe(502);
    expect(JSON.parse(reply.text).error.code).toBe('upstream_response_too_large');
    expect(reply.usage).toMatchObject({ status: 502, error: 'upstream_response_too_large', stream: true });
  });

  it('ends a stream already under way with an error event and no [DONE]', async () => {
    const piece = 'w'.repeat(1024);
    const events = Array.from({ length: 2 * (LIMIT / 1024) }, () => event(piece));
    const reply = await chat(sse([...events, 'data: [DONE]\n\n']), true);
    expect(reply.status).toBe(200);
    const data = reply.text
      .split('\n\n')
      .filter(Boolean)
      .map((e) => e.slice('data: '.length));
    expect(data.length).toBeGreaterThan(1);
    expect(data.length).toBeLessThan(events.length);
    expect(JSON.parse(data.at(-1)!).error.code).toBe('upstream_response_too_large');
    expect(data).not.toContain('[DONE]');
    expect(reply.usage).toMatchObject({ status: 200, error: 'upstream_response_too_large', stream: true });
  });

  it('leaves the gateway serving', async () => {
    expect((await chat(json(completion('still here')))).status).toBe(200);
  });
});

describe('an exchange that is over', () => {
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

  it.each([
    ['a JSON answer', false],
    ['a stream that arrived whole before it was relayed', true],
  ])('leaves no timer running after %s', async (_what, stream) => {
    // Timers of earlier tests may end meanwhile; ten exchanges that each left one behind would add ten.
    const before = timers();
    const script = stream ? sse([event('hi'), 'data: [DONE]\n\n']) : json(completion('ok'));
    for (let i = 0; i < 10; i++) expect((await chat(script, stream)).status).toBe(200);
    expect(timers()).toBeLessThanOrEqual(before);
  });
});
