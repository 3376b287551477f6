// Gateway faults (issue #7, item 4): upstreams that fail every way an HTTP server can, and clients that misbehave.
// Each gets the configured retries and fallbacks, an OpenAI-style error with the documented status, a usage line,
// and nothing left open: every socket the gateway opened is closed again once the exchanges are over.
import { createHash } from 'node:crypto';
import http from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, UPSTREAM_KEYS, type TestGateway } from '../support/gateway-fixture.ts';
import { KEYS } from '../support/ir-fixture.ts';
import {
  bearer,
  chatBody,
  chunkEvent,
  connectionCount,
  eventually,
  expectOpenAIError,
  openAIAnswer,
  parseRawResponse,
  rawAnswer,
  request,
  sleep,
  socketExchange,
  sseAnswer,
  sseData,
  startScriptedUpstream,
  tcpHandles,
  type Reply,
  type ScriptedUpstream,
} from './gateway-helpers.ts';

const HEADERS_TIMEOUT_MS = 500;
const REQUEST_TIMEOUT_MS = 2_000;
const PROVIDER_TIMEOUT_MS = 400;
const MAX_BODY = 64 * 1024;

let baselineHandles: number;
let raw: ScriptedUpstream;
let t: TestGateway;
let seq = 0;
let closed = false;

beforeAll(async () => {
  baselineHandles = tcpHandles();
  raw = await startScriptedUpstream();
  t = await startTestGateway((ir) => {
    ir.gateway.limits = {
      ...ir.gateway.limits,
      maxBodyBytes: MAX_BODY,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      headersTimeoutMs: HEADERS_TIMEOUT_MS,
    };
    const [oai] = ir.providers;
    oai.timeoutMs = PROVIDER_TIMEOUT_MS;
    ir.providers.push({ ...oai, name: 'raw', baseUrl: raw.baseUrl, timeoutMs: 1_000 });
    // The 20 MB answers: a starved machine may take longer than `raw`'s second to serve them, and a retry would
    // get the mock's default answer instead.
    ir.providers.push({ ...oai, name: 'big', baseUrl: raw.baseUrl, timeoutMs: 60_000 });
    const chat = ir.routes[0]; // oai, then ant as fallback; one retry each on 429/5xx, timeouts and resets
    ir.routes.push(
      { ...chat, name: 'solo', fallbacks: [] },
      { ...chat, name: 'raw', targets: [{ provider: 'raw', model: 'gpt-4o-mini', weight: 100 }], fallbacks: [] },
      { ...chat, name: 'big', targets: [{ provider: 'big', model: 'gpt-4o-mini', weight: 100 }], fallbacks: [] },
    );
    ir.accessPolicies[0].routes.push('solo', 'raw', 'big');
  });
});
afterEach(async () => {
  t.oai.reset();
  t.ant.reset();
  raw.setDefault(openAIAnswer('ok'));
  // Whatever happened, the client side is over: the gateway holds no connection from it.
  await eventually('the gateway has no client connection left', async () => (await connectionCount(t.gateway.server)) === 0);
});
afterAll(async () => {
  if (closed) return;
  await t?.close();
  await raw?.close();
});

/** Every answer `call` got, checked at the end for credentials. */
const answers: string[] = [];

/** A call as alice with a request id of its own, so that its usage line can be found. */
async function call(model: string, extra: Record<string, unknown> = {}): Promise<Reply> {
  const reply = await request(`${t.baseURL}/chat/completions`, {
    headers: { ...bearer(KEYS.alice), 'x-request-id': `fault-${++seq}` },
    body: chatBody(model, extra),
  });
  if (reply.body.length < 100_000) answers.push(reply.body);
  return reply;
}
const usageOf = (reply: Reply) => t.usage.find((line) => line.requestId === reply.headers['x-request-id']);

describe('an upstream that fails', () => {
  it('is retried on a 500 and the retry answers', async () => {
    t.oai.enqueue({ status: 500 });
    const reply = await call('solo');
    expect(reply.status).toBe(200);
    expect(usageOf(reply)).toMatchObject({ status: 200, attempts: 2, provider: 'oai' });
  });

  it.each([500, 502])('answers 502 upstream_error once a %i outlasts the retries', async (status) => {
    t.oai.enqueue({ status }, { status });
    const reply = await call('solo');
    expectOpenAIError(reply, 502, 'upstream_error');
    expect(usageOf(reply)).toMatchObject({ status: 502, attempts: 2, error: 'upstream_error' });
  });

  it('moves on at once from a 503 whose retry-after exceeds the backoff, and passes retry-after on', async () => {
    t.oai.enqueue({ status: 503, retryAfterSeconds: 7 });
    const reply = await call('solo');
    expectOpenAIError(reply, 503, 'upstream_overloaded');
    expect(reply.headers['retry-after']).toBe('7');
    expect(usageOf(reply)).toMatchObject({ attempts: 1 });
  });

  it('retries a 503 without retry-after, and answers 503 without one when it persists', async () => {
    t.oai.enqueue({ status: 503 }, { status: 503 });
    const reply = await call('solo');
    expectOpenAIError(reply, 503, 'upstream_overloaded');
    expect(reply.headers['retry-after']).toBeUndefined();
    expect(usageOf(reply)).toMatchObject({ attempts: 2 });
  });

  it('answers 429 upstream_rate_limited with the provider retry-after', async () => {
    t.oai.enqueue({ status: 429, retryAfterSeconds: 30 });
    const reply = await call('solo');
    expectOpenAIError(reply, 429, 'upstream_rate_limited');
    expect(reply.headers['retry-after']).toBe('30');
  });

  it('retries a 429 without retry-after', async () => {
    t.oai.enqueue({ status: 429 });
    const reply = await call('solo');
    expect(reply.status).toBe(200);
    expect(usageOf(reply)).toMatchObject({ attempts: 2 });
  });

  it('falls back to the next provider when the first keeps failing', async () => {
    t.oai.enqueue({ status: 503 }, { status: 503 });
    const reply = await call('chat');
    expect(reply.status).toBe(200);
    expect(reply.headers['x-modelgate-provider']).toBe('ant');
    expect(usageOf(reply)).toMatchObject({ provider: 'ant', attempts: 3 });
  });

  it('times out a silent upstream, retries it, then answers 504 upstream_timeout', async () => {
    t.oai.enqueue({ delayMs: 3_000 }, { delayMs: 3_000 });
    const started = performance.now();
    const reply = await call('solo');
    expectOpenAIError(reply, 504, 'upstream_timeout');
    expect(performance.now() - started).toBeLessThan(2 * PROVIDER_TIMEOUT_MS + 1_000);
    expect(usageOf(reply)).toMatchObject({ attempts: 2, error: 'upstream_timeout' });
  });

  it('falls back when the first provider times out', async () => {
    t.oai.enqueue({ delayMs: 3_000 }, { delayMs: 3_000 });
    const reply = await call('chat');
    expect(reply.status).toBe(200);
    expect(reply.headers['x-modelgate-provider']).toBe('ant');
  });

  it('retries a connection reset before the headers; persistent resets give 502 upstream_unavailable', async () => {
    t.oai.enqueue({ reset: 'before-headers' });
    expect((await call('solo')).status).toBe(200);
    t.oai.enqueue({ reset: 'before-headers' }, { reset: 'before-headers' });
    const reply = await call('solo');
    expectOpenAIError(reply, 502, 'upstream_unavailable');
  });

  it('retries a stream reset before its first event without the client noticing', async () => {
    t.oai.enqueue({ reset: 'before-headers' });
    const reply = await call('solo', { stream: true });
    expect(reply.status).toBe(200);
    expect(sseData(reply.body).at(-1)).toBe('[DONE]');
  });

  it('ends a stream reset after its first event with an OpenAI error event', async () => {
    t.oai.enqueue({ reset: 'mid-stream' });
    const reply = await call('solo', { stream: true });
    expect(reply.status).toBe(200);
    const events = sseData(reply.body).map((d) => JSON.parse(d));
    expect(events[0].object).toBe('chat.completion.chunk');
    expect(events.at(-1)).toEqual({ error: expect.objectContaining({ code: 'upstream_unavailable', param: null }) });
    expect(usageOf(reply)).toMatchObject({ status: 200, error: 'upstream_unavailable', stream: true });
  });

  it.each([
    [
      'a truncated object',
      '{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hi',
    ],
    ['an HTML page', '<html><body>502 Bad Gateway</body></html>'],
    ['an empty body', ''],
  ])('refuses %s sent with status 200: 502 upstream_invalid_response', async (_what, body) => {
    raw.enqueue(rawAnswer(body));
    const reply = await call('raw');
    expectOpenAIError(reply, 502, 'upstream_invalid_response');
  });

  it('treats an answer shorter than its content-length as a dropped connection', async () => {
    const short: Parameters<typeof raw.enqueue>[0] = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': 1000 });
      res.write('{"id":');
      setTimeout(() => req.socket.destroy(), 20);
    };
    raw.enqueue(short, short);
    expectOpenAIError(await call('raw'), 502, 'upstream_unavailable');
  });

  it.each([
    ['dropped mid-event', 'destroy'],
    ['ended mid-event', 'end'],
  ] as const)('never forwards half an event of a stream %s, and ends it with an error event', async (_what, end) => {
    raw.enqueue(sseAnswer([chunkEvent('Hel'), chunkEvent('lo').slice(0, 40)], end));
    const reply = await call('raw', { stream: true });
    expect(reply.status).toBe(200);
    const events = sseData(reply.body).map((d) => JSON.parse(d)); // every forwarded event is whole JSON
    expect(events[0].choices[0].delta.content).toBe('Hel');
    expect(events).toHaveLength(2);
    expect(events[1].error.code).toBe('upstream_unavailable');
  });

  it('reports a stream that ends without [DONE] as cut short, not as a complete answer', async () => {
    raw.enqueue(sseAnswer([chunkEvent('Hel'), chunkEvent('lo')]));
    const reply = await call('raw', { stream: true });
    const events = sseData(reply.body).map((d) => JSON.parse(d));
    expect(events.map((e) => e.choices?.[0].delta.content ?? e.error.code)).toEqual(['Hel', 'lo', 'upstream_unavailable']);
    expect(usageOf(reply)).toMatchObject({ status: 200, error: 'upstream_unavailable' });
  });

  it('retries a stream cut before its first whole event', async () => {
    raw.enqueue(sseAnswer([chunkEvent('Hel').slice(0, 20)], 'destroy'), sseAnswer([chunkEvent('Hi'), 'data: [DONE]\n\n']));
    const reply = await call('raw', { stream: true });
    // The chunk as sent, its model named as the client asked (the route).
    expect(sseData(reply.body)).toEqual([JSON.stringify({ ...JSON.parse(chunkEvent('Hi').slice(6)), model: 'raw' }), '[DONE]']);
  });

  it('passes a 20 MB answer through intact, apart from its model named as asked', async () => {
    const answer = (model: string) =>
      JSON.stringify({
        id: 'chatcmpl-big',
        object: 'chat.completion',
        created: 1,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: 'x'.repeat(20 * 1024 * 1024) }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 1, completion_tokens: 2 },
      });
    raw.enqueue(rawAnswer(answer('gpt-4o-mini')));
    const reply = await call('big');
    expect(reply.status).toBe(200);
    const digest = (s: string) => createHash('sha256').update(s).digest('hex');
    expect(digest(reply.body)).toBe(digest(answer('big')));
    expect(usageOf(reply)).toMatchObject({ inputTokens: 1, outputTokens: 2 });
  });

  it('streams a 20 MB answer through', async () => {
    const piece = 'y'.repeat(10 * 1024);
    raw.enqueue(sseAnswer([...Array.from({ length: 2048 }, () => chunkEvent(piece)), 'data: [DONE]\n\n']));
    const reply = await call('big', { stream: true });
    const data = sseData(reply.body);
    // The last event first: a stream cut short ends with the error event that says why.
    expect(data.at(-1)).toBe('[DONE]');
    expect(data).toHaveLength(2049);
  });
});

describe('a client that misbehaves', () => {
  it('leaving mid-stream cancels the upstream call and is logged as client_closed', async () => {
    raw.enqueue(
      sseAnswer(
        Array.from({ length: 100 }, (_, i) => chunkEvent(`w${i} `)),
        'end',
        30,
      ),
    );
    const abandoned = raw.abandoned;
    const id = `leaver-${++seq}`;
    await new Promise<void>((resolve, reject) => {
      const req = http.request(
        `${t.baseURL}/chat/completions`,
        { method: 'POST', agent: false, headers: { ...bearer(KEYS.alice), 'x-request-id': id } },
        (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        },
      );
      req.on('error', () => {});
      req.once('error', reject);
      req.end(chatBody('raw', { stream: true }));
    });
    await eventually('the upstream call is cancelled', () => raw.abandoned === abandoned + 1, 2_000);
    await eventually('the usage line is written', () => t.usage.some((l) => l.requestId === id));
    expect(t.usage.find((l) => l.requestId === id)).toMatchObject({ status: 200, error: 'client_closed', stream: true });
  });

  it('leaving before a JSON answer cancels the upstream call and is logged as 499', async () => {
    raw.enqueue(async (_req, res) => {
      await sleep(1_500);
      if (!res.destroyed) openAIAnswer('late')(_req, res);
    });
    const abandoned = raw.abandoned;
    const id = `leaver-${++seq}`;
    const req = http.request(`${t.baseURL}/chat/completions`, {
      method: 'POST',
      agent: false,
      headers: { ...bearer(KEYS.alice), 'x-request-id': id },
    });
    req.on('error', () => {});
    req.end(chatBody('raw'));
    await sleep(200);
    req.destroy();
    await eventually('the upstream call is cancelled', () => raw.abandoned === abandoned + 1, 1_000);
    await eventually('the usage line is written', () => t.usage.some((l) => l.requestId === id));
    expect(t.usage.find((l) => l.requestId === id)).toMatchObject({ status: 499, error: 'client_closed' });
  });

  it('sending headers slowly (slowloris) is cut off with a 408 soon after headersTimeout', async () => {
    const { text, ms } = await socketExchange(t.gateway.url, (socket) => {
      socket.write('POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      const drip = setInterval(() => socket.writable && socket.write(`x-drip-${Date.now()}: 1\r\n`), 100);
      socket.once('close', () => clearInterval(drip));
    });
    expect(ms).toBeLessThan(HEADERS_TIMEOUT_MS + 2_000);
    expectOpenAIError(parseRawResponse(text), 408, 'request_timeout');
  });

  it('sending a body slowly is cut off with a 408 soon after requestTimeout', async () => {
    const id = `slow-body-${++seq}`;
    const { text, ms } = await socketExchange(t.gateway.url, (socket) => {
      socket.write(
        `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${KEYS.alice}\r\nx-request-id: ${id}\r\nContent-Length: 1000\r\n\r\n{"model":`,
      );
    });
    expect(ms).toBeLessThan(REQUEST_TIMEOUT_MS + 2_000);
    expectOpenAIError(parseRawResponse(text), 408, 'request_timeout');
    await eventually('the usage line is written', () => t.usage.some((l) => l.requestId === id));
    expect(t.usage.find((l) => l.requestId === id)).toMatchObject({ status: 499, error: 'client_closed' });
  });

  it('leaving in the middle of its body is logged as 499 client_closed, not as a gateway failure', async () => {
    const id = `half-body-${++seq}`;
    await socketExchange(t.gateway.url, (socket) => {
      socket.write(
        `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${KEYS.alice}\r\nx-request-id: ${id}\r\nContent-Length: 1000\r\n\r\n{"model":`,
      );
      setTimeout(() => socket.destroy(), 100);
    });
    await eventually('the usage line is written', () => t.usage.some((l) => l.requestId === id));
    expect(t.usage.find((l) => l.requestId === id)).toMatchObject({ status: 499, error: 'client_closed' });
  });

  it('declaring a body over maxBodyBytes gets 413 request_too_large before sending it', async () => {
    const { text } = await socketExchange(t.gateway.url, (socket) => {
      socket.write(
        `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${KEYS.alice}\r\nContent-Length: ${10 * MAX_BODY}\r\n\r\n`,
      );
    });
    const reply = parseRawResponse(text);
    expectOpenAIError(reply, 413, 'request_too_large');
    expect(reply.headers.connection).toBe('close');
  });

  it('streaming a body over maxBodyBytes without a length gets 413 request_too_large', async () => {
    const { text } = await socketExchange(t.gateway.url, (socket) => {
      socket.write(
        `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${KEYS.alice}\r\nTransfer-Encoding: chunked\r\n\r\n`,
      );
      const chunk = 'a'.repeat(8 * 1024);
      for (let i = 0; i < 10; i++) socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    });
    expectOpenAIError(parseRawResponse(text), 413, 'request_too_large');
  });

  it.each([
    ['invalid JSON', 'application/json', '{"model":"chat","messages":['],
    ['a JSON array', 'application/json', '[{"model":"chat"}]'],
    ['a form-encoded body', 'application/x-www-form-urlencoded', 'model=chat&messages=hi'],
    ['multipart form data', 'multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="model"\r\n\r\nchat\r\n--x--'],
  ])('sending %s gets 400 invalid_json', async (_what, contentType, body) => {
    const reply = await request(`${t.baseURL}/chat/completions`, { headers: { ...bearer(KEYS.alice), 'content-type': contentType }, body });
    expectOpenAIError(reply, 400, 'invalid_json');
  });

  it('serves a JSON body whatever its content-type says (text/plain here)', async () => {
    const reply = await request(`${t.baseURL}/chat/completions`, {
      headers: { ...bearer(KEYS.alice), 'content-type': 'text/plain' },
      body: chatBody('solo'),
    });
    expect(reply.status).toBe(200);
  });

  it('sending headers over 16 KB gets 431 in the OpenAI format', async () => {
    const reply = await request(`${t.baseURL}/chat/completions`, {
      headers: { ...bearer(KEYS.alice), 'x-padding': 'p'.repeat(20_000) },
      body: chatBody('solo'),
    }).catch((err: Error) => err);
    expect(reply).not.toBeInstanceOf(Error);
    expectOpenAIError(reply as Reply, 431, 'request_header_fields_too_large');
  });

  it('sending something that is not HTTP gets 400 in the OpenAI format', async () => {
    const { text } = await socketExchange(t.gateway.url, (socket) => socket.write('HELLO THERE\r\n\r\n'));
    expectOpenAIError(parseRawResponse(text), 400, 'bad_request');
  });
});

describe('what is left', () => {
  it('holds no credential in any error answer or usage line of the faults above', () => {
    const text = [...answers, t.usageText()].join('\n');
    for (const secret of [...Object.values(UPSTREAM_KEYS), ...Object.values(KEYS)]) expect(text).not.toContain(secret);
  });

  it('leaves no socket open: upstream connections close, and every handle returns to the baseline', async () => {
    // Idle keep-alive sockets to the scripted upstream are closed by it after 200 ms; none may stay in use.
    await eventually('the gateway holds no connection to the upstream', async () => (await connectionCount(raw.server)) === 0, 3_000);
    closed = true;
    await t.close();
    await raw.close();
    await eventually(`TCP handles back to ${baselineHandles}`, () => tcpHandles() === baselineHandles, 3_000);
  });
});
