// The OpenAI Responses API as OpenAI clients see it: the official `openai` SDK against the gateway, passed through
// to the mock OpenAI upstream's /v1/responses or translated to the mock Anthropic (and a chat-only server's) API.
import net from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MockUpstream } from '../test/mock-providers/index.ts';
import { startTestGateway, UPSTREAM_KEYS, type TestGateway } from '../test/support/gateway-fixture.ts';
import { KEYS, testModel } from '../test/support/ir-fixture.ts';
import { REDIS_MISSING, redisServerAvailable, useRedisServer } from '../test/support/redis-server.ts';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway((ir) => {
    const [chat, claude] = ir.routes;
    ir.gateway.stores.responses = { type: 'memory', maxEntries: 100, ttlMs: 60_000 };
    ir.providers[0].models.push(testModel('o4-mini', { inputPricePer1M: 1.1, outputPricePer1M: 4.4, reasoning: true }));
    ir.providers.push(
      {
        ...ir.providers[0],
        name: 'azure',
        type: 'azure-openai',
        baseUrl: ir.providers[0].baseUrl.replace(/\/v1$/, ''),
        models: [
          { name: 'gpt-4o-mini', deployment: 'prod-mini', type: 'chat', inputPricePer1M: 0.15, outputPricePer1M: 0.6, deprecated: false },
        ],
      },
      {
        ...ir.providers[0],
        name: 'vllm',
        type: 'openai-compatible',
        models: [{ name: 'qwen3', type: 'chat', inputPricePer1M: null, outputPricePer1M: null, deprecated: false }],
      },
    );
    ir.routes.push(
      { ...claude, name: 'gpt', targets: [{ provider: 'oai', model: 'gpt-4o-mini', weight: 100 }] },
      { ...claude, name: 'reasoner', targets: [{ provider: 'oai', model: 'o4-mini', weight: 100 }] },
      { ...claude, name: 'azure', targets: [{ provider: 'azure', model: 'gpt-4o-mini', weight: 100 }] },
      { ...claude, name: 'qwen', targets: [{ provider: 'vllm', model: 'qwen3', weight: 100 }] },
      { ...chat, name: 'claude-capped', maxTokens: 64, targets: claude.targets, fallbacks: [] },
    );
    ir.accessPolicies[0].routes.push('gpt', 'reasoner', 'azure', 'qwen', 'claude-capped');
  });
});
afterAll(() => t.close());
beforeEach(() => {
  t.oai.reset();
  t.ant.reset();
});

const client = (apiKey: string = KEYS.alice) => new OpenAI({ baseURL: t.baseURL, apiKey, maxRetries: 0 });
const usageLine = (requestId: string | null) => t.usage.find((u) => u.requestId === requestId);
/** One raw HTTP call, for what the SDK would not send or hides. */
const post = (body: string, key: string = KEYS.alice) =>
  fetch(`${t.baseURL}/responses`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body,
  });
const weather = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  strict: false,
};
/** What the SDK's `stream.on('event')` saw, by type. */
const typesOf = (events: { type: string }[]) => events.map((e) => e.type);

/** `upstream` answers "one two three", streamed through `model`: the SDK's text deltas, events and final response. */
async function countStream(upstream: MockUpstream, model: string) {
  upstream.enqueue({ reply: 'one two three', usage: { input: 5, output: 3 } });
  const stream = client().responses.stream({ model, input: 'count', store: false });
  const deltas: string[] = [];
  const events: { type: string; sequence_number: number }[] = [];
  stream.on('response.output_text.delta', (e) => deltas.push(e.delta));
  stream.on('event', (e) => events.push(e));
  const final = await stream.finalResponse();
  expect(deltas.join('')).toBe('one two three');
  expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
  return { final, events };
}

describe('Responses passed through to OpenAI', () => {
  it('answers responses.create with the upstream answer, named as asked, never stored at OpenAI', async () => {
    t.oai.enqueue({ reply: 'Bonjour', usage: { input: 12, output: 3, cacheRead: 4 } });
    const { data: r, response } = await client().responses.create({ model: 'gpt', input: 'Hello' }).withResponse();
    expect(r).toMatchObject({ object: 'response', status: 'completed', model: 'gpt', output_text: 'Bonjour', store: true });
    const sent = t.oai.requests[0];
    expect(sent.path).toBe('/v1/responses');
    expect(sent.body).toMatchObject({ model: 'gpt-4o-mini', store: false, input: 'Hello' });
    expect(sent.headers.authorization).toBe(`Bearer ${UPSTREAM_KEYS.OAI_KEY}`);
    expect(response.headers.get('x-modelgate-provider')).toBe('oai');
    expect(usageLine(response.headers.get('x-request-id'))).toMatchObject({
      api: 'responses',
      route: 'gpt',
      provider: 'oai',
      inputTokens: 12,
      cacheReadTokens: 4,
      outputTokens: 3,
      stream: false,
    });
  });

  it('sends the client bytes on untouched apart from model and store, unknown fields included', async () => {
    const raw = `{ "model": "gpt", "input" : "caf\\u00e9",\n "store": true, "future_knob": {"a": [1.0, null]}, "big": 12345678901234567890, "include": ["reasoning.encrypted_content"] }`;
    expect((await post(raw)).status).toBe(200);
    expect(t.oai.requests[0].rawBody).toBe(raw.replace('"gpt"', '"gpt-4o-mini"').replace('"store": true', '"store": false'));
    // A client that leaves store out gets it set, in front of its bytes; a capped route sets max_output_tokens too.
    await post('{"model":"chat","input":"x","max_output_tokens":4000}');
    expect(t.oai.requests[1].rawBody).toBe('{"store":false,"model":"gpt-4o-mini","input":"x","max_output_tokens":500}');
  });

  it('streams the upstream events, the Response in them renamed, and reads their usage', async () => {
    const { final } = await countStream(t.oai, 'gpt');
    expect(final).toMatchObject({ model: 'gpt', output_text: 'one two three', store: false });
    expect(t.oai.requests[0].body).toMatchObject({ stream: true, store: false });
    expect(t.usage.at(-1)).toMatchObject({ api: 'responses', stream: true, inputTokens: 5, outputTokens: 3, provider: 'oai' });
  });

  it('reaches Azure at its v1 Responses path, the deployment as the model', async () => {
    const r = await client().responses.create({ model: 'azure', input: 'hi' });
    expect(r.model).toBe('azure');
    expect(t.oai.requests[0]).toMatchObject({ path: '/openai/v1/responses', body: { model: 'prod-mini', store: false } });
    expect(t.oai.requests[0].headers['api-key']).toBe(UPSTREAM_KEYS.OAI_KEY);
  });

  it('round-trips a function call: the call comes back, its output goes up untouched', async () => {
    t.oai.enqueue({ toolCall: { id: 'call_7', name: 'get_weather', arguments: { city: 'Paris' } } }, { reply: 'It is 18C.' });
    const first = await client().responses.create({ model: 'gpt', input: 'weather in Paris?', tools: [weather], store: false });
    const call = first.output.find((o) => o.type === 'function_call')!;
    expect(call).toMatchObject({ call_id: 'call_7', name: 'get_weather', arguments: '{"city":"Paris"}' });
    const output = { type: 'function_call_output' as const, call_id: 'call_7', output: '18C' };
    const second = await client().responses.create({
      model: 'gpt',
      input: [{ role: 'user', content: 'weather in Paris?' }, call, output],
      tools: [weather],
      store: false,
    });
    expect(second.output_text).toBe('It is 18C.');
    expect(t.oai.requests[1].body.input.at(-1)).toEqual(output);
  });
});

describe('Responses translated through chat', () => {
  it('answers responses.create from Anthropic, named as asked', async () => {
    t.ant.enqueue({ reply: 'Bonjour', usage: { input: 12, output: 3 } });
    const { data: r, response } = await client()
      .responses.create({ model: 'claude', instructions: 'Be brief.', input: 'Hello', store: false })
      .withResponse();
    expect(r).toMatchObject({
      object: 'response',
      status: 'completed',
      model: 'claude',
      output_text: 'Bonjour',
      instructions: 'Be brief.',
      store: false,
    });
    expect(r.usage).toMatchObject({ input_tokens: 12, output_tokens: 3, total_tokens: 15 });
    expect(t.ant.requests[0].body).toMatchObject({
      model: 'claude-3-5-haiku',
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
    });
    expect(usageLine(response.headers.get('x-request-id'))).toMatchObject({
      api: 'responses',
      route: 'claude',
      provider: 'ant',
      inputTokens: 12,
      outputTokens: 3,
    });
  });

  it('streams text deltas and the final response', async () => {
    const { final, events } = await countStream(t.ant, 'claude');
    expect(final).toMatchObject({ model: 'claude', output_text: 'one two three', usage: { input_tokens: 5, output_tokens: 3 } });
    expect(typesOf(events)).toEqual(
      expect.arrayContaining(['response.created', 'response.output_item.added', 'response.output_item.done', 'response.completed']),
    );
    expect(t.usage.at(-1)).toMatchObject({ api: 'responses', stream: true, inputTokens: 5, outputTokens: 3, provider: 'ant' });
  });

  it('round-trips a function call, streamed, through Anthropic tool_use and tool_result', async () => {
    t.ant.enqueue({ toolCall: { id: 'toolu_7', name: 'get_weather', arguments: { city: 'Paris' } } }, { reply: 'It is 18C.' });
    const stream = client().responses.stream({ model: 'claude', input: 'weather in Paris?', tools: [weather], store: false });
    const fragments: string[] = [];
    stream.on('response.function_call_arguments.delta', (e) => fragments.push(e.delta));
    const first = await stream.finalResponse();
    const call = first.output.find((o) => o.type === 'function_call')!;
    expect(call).toMatchObject({ call_id: 'toolu_7', name: 'get_weather', status: 'completed' });
    expect(JSON.parse(call.arguments)).toEqual({ city: 'Paris' });
    expect(fragments.join('')).toBe(call.arguments);
    const output = { type: 'function_call_output' as const, call_id: 'toolu_7', output: '18C' };
    const second = await client().responses.create({
      model: 'claude',
      input: [{ role: 'user', content: 'weather in Paris?' }, call, output],
      tools: [weather],
      store: false,
    });
    expect(second.output_text).toBe('It is 18C.');
    expect(t.ant.requests[1].body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'weather in Paris?' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_7', name: 'get_weather', input: { city: 'Paris' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_7', content: '18C' }] },
    ]);
    expect(t.ant.requests[1].body.tools).toEqual([
      { name: 'get_weather', description: 'Weather in a city', input_schema: weather.parameters },
    ]);
  });

  it('serves what Codex sends: hosted tools and reasoning summaries dropped with notes, namespaces flattened and mapped back', async () => {
    t.ant.enqueue({ toolCall: { id: 'toolu_9', name: 'multi_agent_v1__spawn_agent', arguments: { task: 'look' } } });
    const body = {
      model: 'claude',
      instructions: 'You are Codex.',
      input: [
        { type: 'message', role: 'developer', content: [{ type: 'input_text', text: 'sandbox: read-only' }] },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] },
      ],
      tools: [
        {
          type: 'function',
          name: 'exec_command',
          description: 'Run',
          parameters: { type: 'object', properties: { cmd: { type: 'string' } } },
          strict: false,
        },
        {
          type: 'namespace',
          name: 'multi_agent_v1',
          description: 'Sub-agents',
          tools: [{ type: 'function', name: 'spawn_agent', parameters: { type: 'object', properties: {} }, strict: false }],
        },
        { type: 'web_search', external_web_access: false },
      ],
      tool_choice: 'auto',
      parallel_tool_calls: false,
      reasoning: { effort: 'medium', summary: 'auto' },
      store: false,
      stream: false,
      include: ['reasoning.encrypted_content'],
      prompt_cache_key: 'session-1',
      client_metadata: { 'x-codex-turn': '1' },
    };
    const res = await post(JSON.stringify(body));
    expect(res.status).toBe(200);
    const r = (await res.json()) as OpenAI.Responses.Response;
    expect(r.output).toMatchObject([{ type: 'function_call', name: 'spawn_agent', namespace: 'multi_agent_v1', call_id: 'toolu_9' }]);
    const sent = t.ant.requests[0].body;
    expect(sent.tools.map((tool: { name: string }) => tool.name)).toEqual(['exec_command', 'multi_agent_v1__spawn_agent']);
    expect(sent.system).toBe('You are Codex.\n\nsandbox: read-only');
    const notes = [
      '1 web_search tool dropped',
      'reasoning.effort dropped: the model is not configured with reasoning',
      'reasoning.summary dropped',
    ];
    expect(res.headers.get('x-modelgate-notes')).toBe(notes.join('; '));
    expect(usageLine(res.headers.get('x-request-id'))).toMatchObject({ api: 'responses', notes });
  });

  it('reaches a chat-only OpenAI-compatible server through chat', async () => {
    t.oai.enqueue({ reply: 'from vllm' });
    const r = await client().responses.create({ model: 'qwen', input: 'hi', max_output_tokens: 50, store: false });
    expect(r).toMatchObject({ model: 'qwen', output_text: 'from vllm' });
    expect(t.oai.requests[0]).toMatchObject({
      path: '/v1/chat/completions',
      body: { model: 'qwen3', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] },
    });
  });

  it("caps max_output_tokens at the route's maximum", async () => {
    await client().responses.create({ model: 'claude-capped', input: 'x', max_output_tokens: 4000, store: false });
    expect(t.ant.requests[0].body.max_tokens).toBe(64);
  });
});

describe('conversation state (gateway.stores.responses)', () => {
  it('continues a passed-through conversation from the gateway store: OpenAI gets the whole history, never an id', async () => {
    t.oai.enqueue({ reply: 'Hello Ada.' }, { reply: 'You are Ada.' });
    const first = await client().responses.create({ model: 'chat', input: 'My name is Ada.' });
    const second = await client().responses.create({ model: 'chat', input: 'Who am I?', previous_response_id: first.id });
    expect(second).toMatchObject({ output_text: 'You are Ada.', previous_response_id: first.id, store: true });
    const sent = t.oai.requests[1].body;
    expect(sent).toMatchObject({ store: false, previous_response_id: null });
    expect(sent.input).toMatchObject([
      { type: 'message', role: 'user', content: 'My name is Ada.' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hello Ada.' }] },
      { type: 'message', role: 'user', content: 'Who am I?' },
    ]);

    // Another consumer of the same gateway (and upstream key) cannot continue, read or delete it.
    const bob = client(KEYS.bob);
    await expect(bob.responses.create({ model: 'chat', input: 'x', previous_response_id: first.id })).rejects.toBeInstanceOf(
      OpenAI.NotFoundError,
    );
    await expect(bob.responses.retrieve(second.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(bob.responses.delete(second.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    expect(t.oai.requests).toHaveLength(2);

    expect(await client().responses.retrieve(second.id)).toMatchObject({ id: second.id, model: 'chat', output_text: 'You are Ada.' });
    await client().responses.delete(second.id);
    await expect(client().responses.retrieve(second.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("keeps a reasoning model's reasoning whole, to hand it back to a store-less OpenAI", async () => {
    await client().responses.create({ model: 'reasoner', input: 'x', include: ['message.output_text.logprobs'] });
    expect(t.oai.requests[0].body.include).toEqual(['message.output_text.logprobs', 'reasoning.encrypted_content']);
    await client().responses.create({ model: 'reasoner', input: 'x', store: false });
    expect(t.oai.requests[1].body.include).toBeUndefined();
  });

  it('keeps stored responses across a reload with the same store settings', async () => {
    const kept = await client().responses.create({ model: 'claude', input: 'remember me' });
    t.gateway.reload(structuredClone(t.gateway.ir));
    expect((await client().responses.retrieve(kept.id)).id).toBe(kept.id);
  });

  it('continues a translated, streamed conversation', async () => {
    t.ant.enqueue({ reply: 'Hello Ada.' }, { reply: 'You are Ada.' });
    const first = await client().responses.stream({ model: 'claude', input: 'My name is Ada.' }).finalResponse();
    expect(first).toMatchObject({ store: true });
    const second = await client().responses.stream({ model: 'claude', input: 'Who am I?', previous_response_id: first.id }).finalResponse();
    expect(second.output_text).toBe('You are Ada.');
    expect(t.ant.requests[1].body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'My name is Ada.' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Hello Ada.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Who am I?' }] },
    ]);
    // store: false keeps nothing.
    const kept = await client().responses.create({ model: 'claude', input: 'x', store: false });
    await expect(client().responses.retrieve(kept.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('refuses previous_response_id without a store, naming the setting, before any provider call', async () => {
    const stateless = await startTestGateway();
    try {
      const err = await new OpenAI({ baseURL: stateless.baseURL, apiKey: KEYS.alice, maxRetries: 0 }).responses
        .create({ model: 'claude', input: 'x', previous_response_id: 'resp_1' })
        .catch((e) => e);
      expect(err).toBeInstanceOf(OpenAI.BadRequestError);
      expect(err.message).toContain('gateway.stores.responses');
      expect(err.param).toBe('previous_response_id');
      expect(stateless.ant.requests).toHaveLength(0);
      const get = await fetch(`${stateless.baseURL}/responses/resp_1`, { headers: { authorization: `Bearer ${KEYS.alice}` } });
      expect(get.status).toBe(404);
      expect(await get.text()).toContain('gateway.stores.responses');
    } finally {
      await stateless.close();
    }
  });

  it('answers only GET and DELETE on a response, as OpenAI does', async () => {
    const res = await fetch(`${t.baseURL}/responses/resp_1`, { method: 'PUT', headers: { authorization: `Bearer ${KEYS.alice}` } });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, DELETE');
  });
});

describe('errors', () => {
  it('refuses bad input with a 400 naming the field, before any provider call', async () => {
    const missing = await client()
      .responses.create({ model: 'gpt' } as never)
      .catch((e) => e);
    expect(missing).toBeInstanceOf(OpenAI.BadRequestError);
    expect(missing.message).toContain("'input'");
    const translatedOnly = await client()
      .responses.create({ model: 'claude', input: 'x', background: true })
      .catch((e) => e);
    expect(translatedOnly).toBeInstanceOf(OpenAI.BadRequestError);
    expect(translatedOnly.message).toContain("'background'");
    const tokens = await client()
      .responses.create({ model: 'gpt', input: 'x', max_output_tokens: 0 })
      .catch((e) => e);
    expect(tokens.message).toContain("'max_output_tokens'");
    expect([t.oai.requests, t.ant.requests]).toEqual([[], []]);
  });

  it('passes a 429 on with its retry-after as the SDK RateLimitError', async () => {
    t.oai.enqueue({ status: 429, retryAfterSeconds: 7 });
    const err = await client()
      .responses.create({ model: 'gpt', input: 'x' })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err.headers.get('retry-after')).toBe('7');
    expect(usageLine(err.requestID)).toMatchObject({ api: 'responses', status: 429, error: 'upstream_rate_limited' });
  });

  it('retries a 500 and falls back from an OpenAI target to an Anthropic one, translated', async () => {
    t.oai.enqueue({ status: 500 }, { status: 500 });
    t.ant.enqueue({ reply: 'from claude' });
    const { data: r, response } = await client().responses.create({ model: 'chat', input: 'x', store: false }).withResponse();
    expect(r).toMatchObject({ model: 'chat', output_text: 'from claude' });
    expect(response.headers.get('x-modelgate-provider')).toBe('ant');
    expect(t.oai.requests).toHaveLength(2);
    expect(usageLine(response.headers.get('x-request-id'))).toMatchObject({ api: 'responses', provider: 'ant', attempts: 3 });
  });

  it('ends a translated stream cut by its provider with response.failed and an error the SDK raises', async () => {
    t.ant.enqueue({ reply: 'a long answer that will not arrive', reset: 'mid-stream' });
    const stream = client().responses.stream({ model: 'claude', input: 'x', store: false });
    const failed: unknown[] = [];
    stream.on('response.failed', (e) => failed.push(e));
    const err = await stream.finalResponse().catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(failed).toMatchObject([{ response: { status: 'failed', error: { code: 'upstream_unavailable' } } }]);
    expect(t.usage.at(-1)).toMatchObject({ api: 'responses', status: 200, error: 'upstream_unavailable' });
  });

  it('ends a passed-through stream failing upstream with response.failed and an error the SDK raises', async () => {
    t.oai.enqueue({ streamError: 429 });
    const events: { type: string; sequence_number: number }[] = [];
    const stream = client().responses.stream({ model: 'gpt', input: 'x', store: false });
    stream.on('event', (e) => events.push(e));
    const err = await stream.finalResponse().catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(typesOf(events)).toEqual(['response.created', 'response.failed']);
    expect(events.map((e) => e.sequence_number)).toEqual([0, 1]);
    expect(events[1]).toMatchObject({ response: { model: 'gpt', status: 'failed', error: { code: 'upstream_rate_limited' } } });
    expect(t.usage.at(-1)).toMatchObject({ api: 'responses', error: 'upstream_rate_limited' });
    // A cut without an error event likewise.
    t.oai.enqueue({ reset: 'mid-stream' });
    const cut = await client()
      .responses.stream({ model: 'gpt', input: 'x', store: false })
      .finalResponse()
      .catch((e) => e);
    expect(cut).toBeInstanceOf(OpenAI.APIError);
  });
});

describe('policies', () => {
  it('redacts instructions, input messages and tool outputs, passed through or translated', async () => {
    const input = [
      { role: 'user' as const, content: 'mail ada@example.com about ORD-1234' },
      { type: 'function_call' as const, call_id: 'c1', name: 'get_weather', arguments: '{}' },
      { type: 'function_call_output' as const, call_id: 'c1', output: 'owner: bob@example.com' },
    ];
    await client().responses.create({ model: 'gpt', instructions: 'reply to ada@example.com', input, tools: [weather], store: false });
    await client().responses.create({ model: 'claude', instructions: 'reply to ada@example.com', input, tools: [weather], store: false });
    for (const raw of [t.oai.requests[0].rawBody, t.ant.requests[0].rawBody]) {
      expect(raw).not.toContain('@example.com');
      expect(raw).not.toContain('ORD-1234');
    }
  });

  it('caches stateless answers (store: false), never a stored one', async () => {
    t.oai.setDefault({ reply: 'cached' });
    const body = { model: 'cached', input: 'same question', store: false };
    const first = await client().responses.create(body).withResponse();
    const second = await client().responses.create(body).withResponse();
    expect([first.response.headers.get('x-cache'), second.response.headers.get('x-cache')]).toEqual(['miss', 'hit']);
    expect(second.data.id).toBe(first.data.id);
    await client().responses.create({ model: 'cached', input: 'same question' });
    await client().responses.create({ model: 'cached', input: 'same question' });
    expect(t.oai.requests).toHaveLength(3);
  });

  it('applies access policies and rate limits, and labels metrics by API', async () => {
    await expect(client(KEYS.bob).responses.create({ model: 'claude', input: 'x' })).rejects.toBeInstanceOf(OpenAI.PermissionDeniedError);
    await client(KEYS.bob).responses.create({ model: 'chat', input: 'x', store: false });
    await client(KEYS.bob)
      .responses.create({ model: 'chat', input: 'x', store: false })
      .catch(() => undefined);
    await expect(client(KEYS.bob).responses.create({ model: 'chat', input: 'x', store: false })).rejects.toBeInstanceOf(
      OpenAI.RateLimitError,
    );
    const metrics = await (await fetch(`${t.gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/modelgate_requests_total\{api="responses",route="chat",provider="oai",consumer="bob",status="200"\}/);
  });
});

describe.skipIf(!redisServerAvailable)('conversation state in Redis', () => {
  const redis = useRedisServer();

  const replica = (url = redis.url()) =>
    startTestGateway(
      (ir) =>
        void (ir.gateway.stores.responses = {
          type: 'redis',
          url: { ref: 'env:REDIS_URL', source: 'env', name: 'REDIS_URL' },
          keyPrefix: 'responses-test:',
          ttlMs: 60_000,
        }),
      { REDIS_URL: url },
    );
  const on = (r: TestGateway, key: string = KEYS.alice) => new OpenAI({ baseURL: r.baseURL, apiKey: key, maxRetries: 0 });

  it('is shared by replicas: a conversation started on one continues and is read on another', async () => {
    const [a, b] = [redis.track(await replica()), redis.track(await replica())];
    a.ant.enqueue({ reply: 'Hello Ada.' });
    b.ant.enqueue({ reply: 'You are Ada.' });
    const first = await on(a).responses.create({ model: 'claude', input: 'My name is Ada.' });
    const second = await on(b).responses.create({ model: 'claude', input: 'Who am I?', previous_response_id: first.id });
    expect(second.output_text).toBe('You are Ada.');
    expect(b.ant.requests[0].body.messages[1]).toEqual({ role: 'assistant', content: [{ type: 'text', text: 'Hello Ada.' }] });
    expect((await on(a).responses.retrieve(second.id)).output_text).toBe('You are Ada.');
    await expect(on(b, KEYS.bob).responses.retrieve(first.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('keeps a response before its answer ends, so another replica reads it at once however slow the store', async () => {
    const slow = await slowRelay(new URL(redis.url()), 300);
    const [a, b] = [redis.track(await replica(slow.url)), redis.track(await replica())];
    try {
      for (const stream of [false, true]) {
        a.ant.enqueue({ reply: 'Hello Ada.' });
        const first = stream
          ? await on(a).responses.stream({ model: 'claude', input: 'My name is Ada.' }).finalResponse()
          : await on(a).responses.create({ model: 'claude', input: 'My name is Ada.' });
        expect((await on(b).responses.retrieve(first.id)).output_text).toBe('Hello Ada.');
      }
    } finally {
      slow.close();
    }
  });
});

/** A TCP relay to Redis that holds each write of a `SET` for `delayMs`: a store slow to keep what it is given. */
async function slowRelay(target: URL, delayMs: number): Promise<{ url: string; close(): void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
    }
    client.on('data', (chunk) => {
      if (chunk.includes('SET')) setTimeout(() => upstream.write(chunk), delayMs);
      else upstream.write(chunk);
    });
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    close() {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

if (!redisServerAvailable) console.warn(REDIS_MISSING);
