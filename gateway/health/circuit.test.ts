// A provider killed mid-load behind a gateway whose breakers are on: once its circuit opens, requests go straight
// to the fallback (counted at the mock upstream: none reaches the dead one); when it returns, the half-open probes
// close the circuit and traffic comes back. With every candidate open, a 503 in the API's shape with retry-after.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { circuitGauge, startTestGateway, until, type TestGateway } from '../../test/support/gateway-fixture.ts';
import { KEYS } from '../../test/support/ir-fixture.ts';

const OPEN_FOR_MS = 1500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Sample {
  start: number;
  ms: number;
  status: number;
  provider: string | null;
}

const chat = (t: TestGateway, model = 'chat') =>
  fetch(`${t.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEYS.alice}` },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });

describe('a provider killed mid-load', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway((ir) => {
      for (const p of ir.providers) {
        p.circuitBreaker = { ...p.circuitBreaker, enabled: true, consecutiveFailures: 3, openForMs: OPEN_FOR_MS, halfOpenProbes: 2 };
      }
    });
  });
  afterAll(() => t.close());

  it('is skipped without a wait once its circuit opens, and half-open probes close it when it returns', async () => {
    expect(await circuitGauge(t, 'oai', 'gpt-4o-mini')).toBe(0);
    const samples: Sample[] = [];
    let running = true;
    const worker = async () => {
      while (running) {
        const start = Date.now();
        const res = await chat(t);
        await res.arrayBuffer();
        samples.push({ start, ms: Date.now() - start, status: res.status, provider: res.headers.get('x-modelgate-provider') });
        await sleep(10); // keeps the mock's record of requests under its 1000
      }
    };
    const load = Array.from({ length: 3 }, worker);

    await sleep(300);
    t.oai.setDefault({ status: 503 });
    const openedAt = await until(async () => (await circuitGauge(t, 'oai', 'gpt-4o-mini')) === 1, 3000);
    await sleep(50); // attempts that were in flight when it opened
    const hitsWhenOpen = t.oai.requests.length;
    await sleep(OPEN_FOR_MS - 400);
    const hitsWhileOpen = t.oai.requests.length - hitsWhenOpen;
    const openSamples = samples.filter((s) => s.start > openedAt + 50 && s.start + s.ms < openedAt + OPEN_FOR_MS - 350);

    t.oai.setDefault({});
    const closedAt = await until(async () => (await circuitGauge(t, 'oai', 'gpt-4o-mini')) === 0, OPEN_FOR_MS + 2000);
    await sleep(200);
    running = false;
    await Promise.all(load);

    // No request failed, before, during or after the outage.
    expect(samples.filter((s) => s.status !== 200)).toEqual([]);
    // While open: the dead provider got no request at all, and every request went to the fallback at once.
    expect(hitsWhileOpen).toBe(0);
    expect(openSamples.length).toBeGreaterThan(10);
    expect(openSamples.every((s) => s.provider === 'ant')).toBe(true);
    expect(Math.max(...openSamples.map((s) => s.ms))).toBeLessThan(1000);
    const startOf = (u: { ts: string; latencyMs: number }) => Date.parse(u.ts) - u.latencyMs;
    const openedLines = t.usage.filter((u) => startOf(u) > openedAt + 50 && Date.parse(u.ts) < openedAt + OPEN_FOR_MS - 350);
    expect(openedLines.length).toBeGreaterThan(10);
    expect(openedLines.every((u) => u.attempts === 1 && u.provider === 'ant')).toBe(true);
    // Closed again (no earlier than the open interval), and serving from the provider that came back.
    expect(closedAt - openedAt).toBeGreaterThanOrEqual(OPEN_FOR_MS - 50);
    expect(samples.filter((s) => s.start > closedAt + 20).every((s) => s.provider === 'oai')).toBe(true);

    const transitions = t
      .logText()
      .split('\n')
      .filter((l) => l.includes('"msg":"circuit '))
      .map((l) => JSON.parse(l));
    expect(transitions.map((l) => [l.level, l.msg, l.provider, l.model])).toEqual([
      ['warn', 'circuit open', 'oai', 'gpt-4o-mini'],
      ['info', 'circuit half-open', 'oai', 'gpt-4o-mini'],
      ['info', 'circuit closed', 'oai', 'gpt-4o-mini'],
    ]);
    expect(transitions[0].reason).toBe('3 consecutive failures');
    expect(transitions[2].reason).toBe('probes succeeded');
  }, 15_000);

  it('counts a stream its provider cut after the first event as a failure of the model', async () => {
    const stream = (model: string) =>
      fetch(`${t.baseURL}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEYS.alice}` },
        body: JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
      }).then((res) => res.text().catch(() => ''));
    // Bytes reached the client each time (no retry is possible), yet the model failed: three open its circuit.
    for (let i = 0; i < 3; i++) {
      t.gem.enqueue({ reply: 'one two three', reset: 'mid-stream' });
      await stream('gemini');
    }
    expect(await circuitGauge(t, 'gem', 'gemini-2.5-flash')).toBe(1);
    const metrics = await t.gateway.metrics.text();
    expect(metrics).toMatch(/modelgate_upstream_duration_seconds_count\{provider="gem",model="gemini-2.5-flash",outcome="reset"\} 3/);
  });

  it('answers 503 circuit_open with retry-after, in the API asked, when every candidate is open', async () => {
    t.ant.setDefault({ status: 503 });
    // Route `claude` has one target and no fallback: three failed requests (two attempts each) open its circuit.
    for (let i = 0; i < 2; i++) expect((await chat(t, 'claude')).status).toBe(503);
    const hits = t.ant.requests.length;
    const res = await chat(t, 'claude');
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(Math.ceil(OPEN_FOR_MS / 1000));
    expect(await res.json()).toEqual({
      error: {
        message: 'Every provider model of "claude" is failing (its circuit breaker is open). Retry later.',
        type: 'api_error',
        param: null,
        code: 'circuit_open',
      },
    });

    const messages = await fetch(`${t.baseURL}/messages`, {
      method: 'POST',
      headers: { 'x-api-key': KEYS.alice, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(messages.status).toBe(503);
    expect(messages.headers.get('retry-after')).not.toBeNull();
    expect(await messages.json()).toMatchObject({
      type: 'error',
      error: { type: 'api_error', message: expect.stringContaining('circuit') },
    });
    expect(t.ant.requests.length).toBe(hits);
    t.ant.setDefault({});
  });
});
