// Traces as a collector receives them: the gateway exports to a local OTLP/HTTP receiver that decodes the protobuf
// with the official OpenTelemetry protos; the mock providers show what reached them.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IR } from '../../compiler/ir/types.ts';
import { parseSecretRef } from '../../kernel/secret-env.ts';
import { startTestGateway, type TestGateway } from '../../test/support/gateway-fixture.ts';
import { startMockPresidio } from '../../test/mock-providers/guardrail-services.ts';
import { KEYS, testGuardrail, testPrompt } from '../../test/support/ir-fixture.ts';
import { defaultRequestSchema } from '../../compiler/ir/prompt-contract.ts';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../../test/support/otlp-receiver.ts';
import { collectFinishReasons, genAiProvider } from './genai.ts';
import { batchSettings } from './otel.ts';

const COLLECTOR_KEY = 'otlp-collector-key-PLANTED';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const SECRET_TEXT = 'my card is on file, write to jane.doe@example.com about ORD-1234';

const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;

/** Exports every 50 ms rather than every second, as a deployment may set it: the tests wait for spans, not timers. */
const EXPORT_DELAY_MS = 50;
/** Long enough for a span that was coming to have come: several export intervals. */
const SETTLE_MS = 10 * EXPORT_DELAY_MS;

let receiver: OtlpReceiver | undefined;
let t: TestGateway | undefined;
let restoreDelay: () => void;

/** Sets a variable as an operator would; the returned function puts back what was there. */
function setEnv(name: string, value: number): () => void {
  const saved = process.env[name];
  process.env[name] = String(value);
  return () => {
    if (saved === undefined) delete process.env[name];
    else process.env[name] = saved;
  };
}

beforeAll(() => {
  restoreDelay = setEnv('OTEL_BSP_SCHEDULE_DELAY', EXPORT_DELAY_MS);
});
afterAll(() => restoreDelay());

afterEach(async () => {
  await t?.close();
  await receiver?.close();
  t = receiver = undefined;
});

function traced(endpoint: string, includePrompts = false) {
  return (ir: IR) => {
    ir.gateway.telemetry = {
      otlp: { endpoint, headers: { 'x-collector-key': parseSecretRef('env:COLLECTOR_KEY') }, samplingRatio: 1, serviceName: 'gw-test' },
    };
    ir.gateway.logging.usage.includePrompts = includePrompts;
  };
}

function chat(body: object, headers: Record<string, string> = {}) {
  return fetch(`${t!.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEYS.alice}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** The request span and its attempts, in the order they started. */
function tree(spans: ReceivedSpan[]) {
  const root = spans.find((s) => s.kind === SERVER)!;
  const attempts = spans.filter((s) => s.parentSpanId === root.spanId);
  return { root, attempts };
}

describe('OpenTelemetry traces', () => {
  it('exports a request that retried once and fell back as a span tree under the caller, with GenAI attributes and no prompt', async () => {
    receiver = await startOtlpReceiver();
    t = await startTestGateway(traced(receiver.url), { COLLECTOR_KEY });
    t.oai.enqueue({ status: 503 }, { status: 503 });
    const res = await chat(
      { model: 'chat', messages: [{ role: 'user', content: SECRET_TEXT }] },
      { traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01`, 'x-request-id': 'req-otel-1' },
    );
    expect(res.status).toBe(200);
    await res.text();

    const spans = await receiver.waitForSpans(4);
    expect(spans).toHaveLength(4);
    const { root, attempts } = tree(spans);
    expect(root).toMatchObject({ name: 'chat chat', traceId: TRACE_ID, parentSpanId: CALLER_SPAN, status: 0 });
    expect(root.resource['service.name']).toBe('gw-test');
    expect(root.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'chat',
      'gen_ai.response.model': 'claude-3-5-haiku',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.response.finish_reasons': ['stop'],
      'server.address': '127.0.0.1',
      'http.response.status_code': 200,
      'modelgate.consumer': 'alice',
      'modelgate.route': 'chat',
      'modelgate.provider': 'ant',
      'modelgate.request_id': 'req-otel-1',
    });
    expect(root.attributes['modelgate.cost_usd']).toBe(t.usage[0].costUsd);
    expect(root.attributes['gen_ai.usage.input_tokens']).toBe(t.usage[0].inputTokens);
    expect(root.attributes['gen_ai.usage.output_tokens']).toBe(t.usage[0].outputTokens);
    expect(root.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);

    // Retry, then fallback: each attempt a CLIENT child of the request span, with its provider model and outcome.
    expect(attempts.map((s) => [s.name, s.kind, s.attributes['gen_ai.provider.name'], s.attributes['error.type'], s.status])).toEqual([
      ['chat gpt-4o-mini', CLIENT, 'openai', '503', ERROR],
      ['chat gpt-4o-mini', CLIENT, 'openai', '503', ERROR],
      ['chat claude-3-5-haiku', CLIENT, 'anthropic', undefined, 0],
    ]);
    expect(attempts.every((s) => s.traceId === TRACE_ID && s.attributes['server.address'] === '127.0.0.1')).toBe(true);
    expect(attempts[2]!.attributes['gen_ai.response.model']).toBe('claude-3-5-haiku');

    // Upstream, each attempt is the parent the provider sees, in the caller's trace; the request id goes along.
    const sent = [...t.oai.requests, ...t.ant.requests];
    expect(sent.map((r) => r.headers.traceparent)).toEqual(attempts.map((s) => `00-${TRACE_ID}-${s.spanId}-01`));
    expect(sent.every((r) => r.headers['x-request-id'] === 'req-otel-1')).toBe(true);

    // No message text unless the config lets prompts be logged; the collector key only in the export's header.
    const exported = Buffer.concat(receiver.exports.map((e) => e.body)).toString('latin1');
    expect(exported).not.toContain('jane.doe');
    expect(spans.some((s) => 'gen_ai.input.messages' in s.attributes)).toBe(false);
    expect(receiver.exports.every((e) => e.headers['x-collector-key'] === COLLECTOR_KEY)).toBe(true);
    expect(exported).not.toContain(COLLECTOR_KEY);
    expect(t.logText()).not.toContain(COLLECTOR_KEY);
    expect(t.usageText()).not.toContain(COLLECTOR_KEY);
  });

  it('records the messages, redacted, when the config logs prompts, and marks failures and streams', async () => {
    receiver = await startOtlpReceiver();
    t = await startTestGateway(traced(receiver.url, true), { COLLECTOR_KEY });
    const ok = await chat({ model: 'chat', stream: true, messages: [{ role: 'user', content: SECRET_TEXT }] });
    expect(ok.status).toBe(200);
    await ok.text();
    t.ant.setDefault({ status: 500, errorMessage: 'upstream broke' });
    const failed = await chat({ model: 'claude', messages: [{ role: 'user', content: 'hi' }] });
    await failed.text();
    expect(failed.status).toBeGreaterThanOrEqual(500);
    const unknown = await fetch(`${t.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-nobody', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(unknown.status).toBe(401);

    // The stream and its attempt, the failed request and its attempts, the refused one.
    const spans = await receiver.waitForSpans(3 + t.ant.requests.length + 1);
    const roots = spans.filter((s) => s.kind === SERVER);
    const streamed = roots.find((s) => s.attributes['gen_ai.request.model'] === 'chat')!;
    const messages = JSON.parse(streamed.attributes['gen_ai.input.messages'] as string);
    expect(messages).toEqual([{ role: 'user', content: 'my card is on file, write to [REDACTED:email] about [REDACTED:order-id]' }]);
    expect(streamed.attributes).toMatchObject({ 'gen_ai.request.stream': true, 'gen_ai.response.finish_reasons': ['stop'] });
    // A stream's attempt ends with its last byte, inside the request span.
    expect(spans.filter((s) => s.parentSpanId === streamed.spanId).map((s) => s.status)).toEqual([0]);

    const broken = roots.find((s) => s.attributes['gen_ai.request.model'] === 'claude')!;
    expect(broken).toMatchObject({ name: 'chat claude', status: ERROR });
    expect(broken.attributes['error.type']).toBeTypeOf('string');
    const brokenAttempts = spans.filter((s) => s.parentSpanId === broken.spanId);
    expect(brokenAttempts.length).toBe(t.ant.requests.length);
    expect(brokenAttempts.every((s) => s.attributes['error.type'] === '500' && s.status === ERROR)).toBe(true);

    const refused = roots.find((s) => s.attributes['http.response.status_code'] === 401)!;
    expect(refused).toMatchObject({ name: 'chat', parentSpanId: '', status: 0 });
    expect(refused.attributes['error.type']).toBeTypeOf('string');
    expect(t.logText() + t.usageText()).not.toContain(COLLECTOR_KEY);
  });

  it('traces every GenAI endpoint under its operation, and only those', async () => {
    receiver = await startOtlpReceiver();
    t = await startTestGateway(traced(receiver.url), { COLLECTOR_KEY });
    const post = (path: string, body: object, headers: Record<string, string> = {}) =>
      fetch(`${t!.gateway.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEYS.alice}`, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }).then((r) => r.text());
    await post('/v1/embeddings', { model: 'embed', input: 'hello' });
    await post(
      '/v1/messages',
      { model: 'claude', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] },
      { 'anthropic-version': '2023-06-01' },
    );
    await post('/v1/responses', { model: 'chat', input: 'hi' });
    await post('/v1/prompts/greet', { variables: { name: 'Ann' } });
    await post(
      '/v1/messages/count_tokens',
      { model: 'claude', messages: [{ role: 'user', content: 'hi' }] },
      { 'anthropic-version': '2023-06-01' },
    );
    await fetch(`${t.gateway.url}/v1/models`, { headers: { authorization: `Bearer ${KEYS.alice}` } }).then((r) => r.text());

    const spans = await receiver.waitForSpans(8);
    await new Promise((r) => setTimeout(r, SETTLE_MS)); // a span for count_tokens or the model list would come by now
    const roots = receiver.spans.filter((s) => s.kind === SERVER);
    expect(roots.map((s) => [s.name, s.attributes['modelgate.api'], s.attributes['gen_ai.provider.name']])).toEqual([
      ['embeddings embed', 'embeddings', 'openai'],
      ['chat claude', 'messages', 'anthropic'],
      ['chat chat', 'responses', 'openai'],
      ['chat claude', 'chat', 'anthropic'],
    ]);
    expect(roots[3]!.attributes['modelgate.prompt']).toBe('greet');
    expect(spans.filter((s) => s.kind === CLIENT)).toHaveLength(4);
  });

  it('leaves a remote guardrail its whole-text verdict on a traced stream', async () => {
    const presidio = await startMockPresidio();
    receiver = await startOtlpReceiver();
    try {
      t = await startTestGateway(
        (ir) => {
          traced(receiver!.url)(ir);
          const check = {
            type: 'presidio' as const,
            analyzerUrl: presidio.origin,
            anonymizerUrl: presidio.origin,
            language: 'en',
            scoreThreshold: 0.5,
          };
          ir.guardrails = [testGuardrail('pres', check, { stage: 'response' })];
          ir.routes[0]!.guardrails = ['pres'];
        },
        { COLLECTOR_KEY },
      );
      t.oai.enqueue({ reply: 'Bob knows it all.' });
      const res = await chat({ model: 'chat', stream: true, messages: [{ role: 'user', content: 'who?' }] });
      expect(await res.text()).toContain('guardrail_blocked');
      expect(t.usage.at(-1)).toMatchObject({ stream: true, error: 'guardrail_blocked' });
      // A refusal is the caller's, like the 400 of a JSON answer: the provider answered, the gateway did not fail.
      const { root, attempts } = tree(await receiver.waitForSpans(2));
      expect(root.attributes['error.type']).toBe('guardrail_blocked');
      expect([root.status, ...attempts.map((s) => s.status)]).toEqual([0, 0]);
    } finally {
      await presidio.close();
    }
  });

  it('makes no span for reading or deleting a stored response: no model answers them', async () => {
    receiver = await startOtlpReceiver();
    t = await startTestGateway(
      (ir) => {
        traced(receiver!.url)(ir);
        ir.gateway.stores.responses = { type: 'memory', maxEntries: 10, ttlMs: 60_000 };
      },
      { COLLECTOR_KEY },
    );
    const headers = { authorization: `Bearer ${KEYS.alice}`, 'content-type': 'application/json' };
    const created = await fetch(`${t.baseURL}/responses`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: 'chat', input: 'hi' }),
    });
    const { id } = (await created.json()) as { id: string };
    for (const method of ['GET', 'DELETE']) expect((await fetch(`${t.baseURL}/responses/${id}`, { method, headers })).status).toBe(200);
    await receiver.waitForSpans(2);
    await new Promise((r) => setTimeout(r, SETTLE_MS)); // a span for the GET or the DELETE would come by now
    expect(receiver.spans.filter((s) => s.kind === SERVER).map((s) => s.name)).toEqual(['chat chat']);
  });

  it('reads the finish reasons of an answer served from the cache', async () => {
    receiver = await startOtlpReceiver();
    t = await startTestGateway(traced(receiver.url), { COLLECTOR_KEY });
    for (let i = 0; i < 2; i++) await (await chat({ model: 'cached', messages: [{ role: 'user', content: 'same' }] })).text();
    const roots = (await receiver.waitForSpans(3)).filter((s) => s.kind === SERVER);
    expect(roots.map((s) => [s.attributes['modelgate.cache'], s.attributes['gen_ai.response.finish_reasons']])).toEqual([
      ['miss', ['stop']],
      ['hit', ['stop']],
    ]);
  });

  it("shows a prompt's answer off its response schema, asked for once more, as a failed exchange", async () => {
    receiver = await startOtlpReceiver();
    t = await startTestGateway(
      (ir) => {
        traced(receiver!.url)(ir);
        const variables = { type: 'object', properties: {} };
        const response = { type: 'object', required: ['answer'], properties: { answer: { type: 'string' } } };
        ir.prompts.push(
          testPrompt('asker', 'chat', {
            variables,
            versions: { v1: { messages: [{ role: 'user', content: 'Ask.' }] } },
            expose: { method: 'POST', path: '/v1/apps/ask', request: defaultRequestSchema(variables), response },
          }),
        );
        ir.accessPolicies[0]!.prompts.push('asker');
      },
      { COLLECTOR_KEY },
    );
    t.oai.enqueue({ structured: { answer: 7 } }, { structured: { answer: 'seven' } });
    const res = await fetch(`${t.gateway.url}/v1/apps/ask`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.alice}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(await res.json()).toEqual({ answer: 'seven' });
    const { attempts } = tree(await receiver.waitForSpans(3));
    expect(attempts.map((s) => [s.attributes['error.type'], s.status])).toEqual([
      ['response_schema_mismatch', ERROR],
      [undefined, 0],
    ]);
  });

  it('without tracing, passes the caller’s trace context and request id upstream unchanged', async () => {
    t = await startTestGateway();
    const traceparent = `00-${TRACE_ID}-${CALLER_SPAN}-01`;
    const res = await chat({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }, { traceparent, 'x-request-id': 'req-plain' });
    expect(res.status).toBe(200);
    expect(t.oai.requests[0]!.headers).toMatchObject({ traceparent, 'x-request-id': 'req-plain' });
    expect(t.gateway.ir.gateway.telemetry).toBeUndefined();
  });

  it('serves every request at once while the collector hangs, and drops spans beyond its bounded queue', async () => {
    receiver = await startOtlpReceiver({ hang: true });
    // A small queue: the gateway reads the variable when its tracing starts.
    const queueSpans = 64;
    const restoreQueue = setEnv('OTEL_BSP_MAX_QUEUE_SIZE', queueSpans);
    try {
      t = await startTestGateway(traced(receiver.url), { COLLECTOR_KEY });
    } finally {
      restoreQueue();
    }
    // Two spans a request, until the queue overflows past the batch the hanging export holds (at most the queue's 64;
    // one export at a time, each hanging until its 10 s timeout): about 32 to 64 requests, well within those 10 s.
    // Fewer than the default queue of 2048 could ever drop, so this also fails if the variable is not read.
    const maxRequests = 8 * queueSpans;
    const droppedSpans = async () =>
      Number(/modelgate_trace_spans_total\{outcome="dropped"\} (\d+)/.exec(await t!.gateway.metrics.text())?.[1] ?? 0);
    const latencies: number[] = [];
    let next = 0;
    let dropped = 0;
    const worker = async () => {
      while (dropped === 0 && next < maxRequests) {
        next++;
        const started = performance.now();
        const res = await chat({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] });
        expect(res.status).toBe(200);
        await res.arrayBuffer();
        latencies.push(performance.now() - started);
        if (latencies.length % 8 === 0) dropped = await droppedSpans();
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    // Each export hangs until its 10 s timeout: a request that waited on one would take that long. Generous bounds
    // for a loaded machine.
    latencies.sort((a, b) => a - b);
    expect(latencies[Math.floor(latencies.length / 2)]).toBeLessThan(1000);
    expect(latencies.at(-1)).toBeLessThan(9000);
    expect(await droppedSpans()).toBeGreaterThan(0);
    expect(t.logText()).not.toContain(COLLECTOR_KEY);
    // The collector back: closing flushes to it rather than waiting out its 5 s bound on the hanging export.
    receiver.recover();
  }, 60_000);
});

describe('the batch processor variables', () => {
  const DEFAULTS = { maxQueueSize: 2048, maxExportBatchSize: 512, scheduledDelayMillis: 1000 };

  it('takes OTEL_BSP_MAX_QUEUE_SIZE, OTEL_BSP_MAX_EXPORT_BATCH_SIZE and OTEL_BSP_SCHEDULE_DELAY as whole numbers', () => {
    expect(batchSettings({})).toEqual(DEFAULTS);
    expect(
      batchSettings({ OTEL_BSP_MAX_QUEUE_SIZE: '4096', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: ' 256 ', OTEL_BSP_SCHEDULE_DELAY: '50' }),
    ).toEqual({ maxQueueSize: 4096, maxExportBatchSize: 256, scheduledDelayMillis: 50 });
  });

  it('keeps the default of a variable that is not a positive whole number', () => {
    for (const bad of ['', ' ', 'soon', '0', '-5', '1.5', '1e400']) {
      const env = { OTEL_BSP_MAX_QUEUE_SIZE: bad, OTEL_BSP_MAX_EXPORT_BATCH_SIZE: bad, OTEL_BSP_SCHEDULE_DELAY: bad };
      expect(batchSettings(env), bad).toEqual(DEFAULTS);
    }
  });

  it('cuts a batch larger than the queue to the queue, whether the queue is set or default', () => {
    expect(batchSettings({ OTEL_BSP_MAX_QUEUE_SIZE: '100' })).toMatchObject({ maxQueueSize: 100, maxExportBatchSize: 100 });
    expect(batchSettings({ OTEL_BSP_MAX_QUEUE_SIZE: '100', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '300' })).toMatchObject({
      maxQueueSize: 100,
      maxExportBatchSize: 100,
    });
    expect(batchSettings({ OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '5000' })).toMatchObject({ maxQueueSize: 2048, maxExportBatchSize: 2048 });
  });
});

describe('GenAI conventions', () => {
  it('names providers by the conventions’ well-known values, else by the config', () => {
    const p = (type: string, name = 'x') => genAiProvider({ type, name } as never);
    expect([p('openai'), p('azure-openai'), p('anthropic'), p('bedrock'), p('gemini'), p('openai-compatible', 'vllm')]).toEqual([
      'openai',
      'azure.ai.openai',
      'anthropic',
      'aws.bedrock',
      'gcp.gemini',
      'vllm',
    ]);
  });

  it('reads finish reasons of chat answers, chunks and Anthropic messages, bounded', () => {
    const reasons = new Set<string>();
    collectFinishReasons('{"choices":[{"finish_reason": "length"},{"finish_reason":"stop"}]}', reasons);
    collectFinishReasons('data: {"choices":[{"delta":{},"finish_reason":null}]}\n\n', reasons);
    collectFinishReasons('event: message_delta\ndata: {"delta":{"stop_reason":"tool_use"}}\n\n', reasons);
    expect([...reasons]).toEqual(['length', 'stop', 'tool_use']);
    const many = new Set<string>();
    collectFinishReasons(Array.from({ length: 100 }, (_, i) => `"finish_reason":"r${i}"`).join(','), many);
    expect(many.size).toBe(16);
  });
});
