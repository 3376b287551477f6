// Retries, fallbacks, timeouts and cancellation, through the gateway against scripted mock upstreams.
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTestGateway, type TestGateway } from '../test/support/gateway-fixture.ts';
import { KEYS } from '../test/support/ir-fixture.ts';
import { pick, weighted } from './weighted.ts';

let t: TestGateway;
beforeAll(async () => {
  // Short provider timeouts keep the timeout cases fast.
  t = await startTestGateway((ir) => {
    for (const p of ir.providers) p.timeoutMs = 300;
  });
});
afterAll(() => t.close());
beforeEach(() => {
  t.oai.reset();
  t.ant.reset();
});

const client = () => new OpenAI({ baseURL: t.baseURL, apiKey: KEYS.alice, maxRetries: 0 });
const ask = () =>
  client()
    .chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] })
    .withResponse();
const lastUsage = () => t.usage[t.usage.length - 1];

describe('retries and fallbacks', () => {
  it('retries a 5xx on the same target, then answers', async () => {
    t.oai.enqueue({ status: 503 });
    const { data, response } = await ask();
    expect(data.choices[0].message.content).toContain('mock OpenAI');
    expect(response.headers.get('x-modelgate-provider')).toBe('oai');
    expect(t.oai.requests).toHaveLength(2);
    expect(lastUsage()).toMatchObject({ attempts: 2, provider: 'oai', status: 200 });
  });

  it('falls back to the next provider when every attempt fails with a 5xx', async () => {
    t.oai.setDefault({ status: 500 });
    const { data, response } = await ask();
    expect(data.choices[0].message.content).toContain('mock Anthropic');
    expect(response.headers.get('x-modelgate-provider')).toBe('ant');
    expect(t.oai.requests).toHaveLength(2);
    expect(t.ant.requests).toHaveLength(1);
  });

  it('falls back on timeouts and on connection resets', async () => {
    t.oai.setDefault({ delayMs: 1000 });
    const slow = await ask();
    expect(slow.response.headers.get('x-modelgate-provider')).toBe('ant');
    expect(lastUsage()).toMatchObject({ attempts: 3, provider: 'ant' });

    t.oai.setDefault({ reset: 'before-headers' });
    const reset = await ask();
    expect(reset.response.headers.get('x-modelgate-provider')).toBe('ant');
  });

  it('returns a non-retryable error at once, without fallback', async () => {
    t.oai.enqueue({ status: 400, errorMessage: 'bad parameter' });
    const err = await ask().catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.message).toContain('bad parameter');
    expect(t.oai.requests).toHaveLength(1);
    expect(t.ant.requests).toHaveLength(0);
  });

  it('answers 504 when every candidate times out, and 502 without leaking an upstream auth message', async () => {
    t.oai.setDefault({ delayMs: 1000 });
    t.ant.setDefault({ delayMs: 1000 });
    const timeout = await ask().catch((e) => e);
    expect(timeout.status).toBe(504);
    expect(timeout.code).toBe('upstream_timeout');

    t.oai.setDefault({ status: 401, errorMessage: 'Incorrect API key provided: sk-up***TED' });
    t.ant.setDefault({ status: 401 });
    const auth = await ask().catch((e) => e);
    expect(auth.status).toBe(502);
    expect(auth.message).not.toContain('sk-up');
  });
});

describe('streams', () => {
  it('retries a stream that failed before its first byte reached the client', async () => {
    t.oai.enqueue({ status: 502 });
    const stream = await client().chat.completions.create({ model: 'chat', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toContain('mock OpenAI');
    expect(t.oai.requests).toHaveLength(2);
  });

  it('never retries once bytes reached the client: the stream ends with an error event', async () => {
    t.oai.enqueue({ reset: 'mid-stream', reply: 'first second third' });
    const stream = await client().chat.completions.create({ model: 'chat', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    const err = await (async () => {
      for await (const _chunk of stream);
    })().catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.message).toContain('dropped the connection');
    expect(t.oai.requests).toHaveLength(1);
    expect(t.ant.requests).toHaveLength(0);
    expect(lastUsage()).toMatchObject({ status: 200, error: 'upstream_unavailable', stream: true });
  });
});

describe('cancellation', () => {
  it('aborts the upstream request when the client disconnects', async () => {
    t.oai.setDefault({ reply: 'a b c d e f g h', chunkDelayMs: 50 });
    const controller = new AbortController();
    const stream = await client().chat.completions.create(
      { model: 'chat', stream: true, messages: [{ role: 'user', content: 'hi' }] },
      { signal: controller.signal },
    );
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    const before = t.usage.length;
    controller.abort();
    // The gateway hears of the abort when the socket closes: wait for this request's line, however loaded the machine.
    await vi.waitFor(() => expect(t.usage.length).toBe(before + 1), { timeout: 5_000 });
    expect(lastUsage()).toMatchObject({ stream: true, error: 'client_closed' });
    expect(t.oai.requests).toHaveLength(1);
  });
});

describe('weighted choice', () => {
  it('follows the weights and skips zero-weight items', () => {
    const w = weighted([
      { value: 'a', weight: 90 },
      { value: 'b', weight: 10 },
      { value: 'c', weight: 0 },
    ]);
    expect(pick(w, () => 0)).toBe('a');
    expect(pick(w, () => 0.899)).toBe('a');
    expect(pick(w, () => 0.9)).toBe('b');
    expect(pick(w, () => 0.9999)).toBe('b');
    const counts = { a: 0, b: 0, c: 0 } as Record<string, number>;
    for (let i = 0; i < 2000; i++) counts[pick(w)!]++;
    expect(counts.c).toBe(0);
    expect(counts.a / 2000).toBeGreaterThan(0.85);
  });
});
