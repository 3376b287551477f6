// The Anthropic Messages API as Anthropic clients see it: the official `@anthropic-ai/sdk` against the gateway,
// passed through to the mock Anthropic upstream or translated to the mock OpenAI one.
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, UPSTREAM_KEYS, type TestGateway } from '../test/support/gateway-fixture.ts';
import { KEYS, testModel } from '../test/support/ir-fixture.ts';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway((ir) => {
    const [chat, claude] = ir.routes;
    ir.providers[0].models.push(testModel('o4-mini', { inputPricePer1M: 1.1, outputPricePer1M: 4.4, reasoning: true }));
    ir.routes.push(
      { ...claude, name: 'gpt', targets: [{ provider: 'oai', model: 'gpt-4o-mini', weight: 100 }] },
      { ...claude, name: 'reasoner', targets: [{ provider: 'oai', model: 'o4-mini', weight: 100 }] },
      { ...claude, name: 'claude-fb', fallbacks: [{ provider: 'oai', model: 'gpt-4o-mini' }] },
      { ...claude, name: 'claude-cached', cache: { enabled: true, ttlMs: 60_000 } },
      { ...chat, name: 'capped', maxTokens: 64, targets: claude.targets, fallbacks: [] },
      { ...chat, name: 'capped-2k', maxTokens: 2048, targets: claude.targets, fallbacks: [] },
    );
    ir.accessPolicies[0].routes.push('gpt', 'reasoner', 'claude-fb', 'claude-cached', 'capped', 'capped-2k');
    ir.accessPolicies.push({
      name: 'tight-budget',
      labels: {},
      subjects: { consumers: ['carol'] },
      routes: ['claude'],
      prompts: [],
      limits: { monthlyBudgetUsd: 0.025 },
      redaction: { pii: [], patterns: [] },
    });
  });
});
afterAll(() => t.close());
beforeEach(() => {
  t.oai.reset();
  t.ant.reset();
});

const client = (apiKey: string = KEYS.alice) => new Anthropic({ baseURL: t.gateway.url, apiKey, maxRetries: 0 });
const user = (content: string) => [{ role: 'user' as const, content }];
/** Fields SDK 1.x no longer types (sampling parameters newer models drop), which the API still takes. */
const untyped = (fields: Record<string, unknown>) => fields as object;
const usageLine = (requestId: string | null) => t.usage.find((u) => u.requestId === requestId);
/** One raw HTTP call, for what the SDK would not send or hides. */
const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${t.gateway.url}${path}`, {
    method: 'POST',
    headers: { 'x-api-key': KEYS.alice, 'content-type': 'application/json', ...headers },
    body,
  });

describe('Messages passed through to Anthropic', () => {
  it('answers messages.create with the upstream answer, named as asked, with its credential upstream', async () => {
    t.ant.enqueue({ reply: 'Bonjour', usage: { input: 12, output: 3 } });
    const { data: m, response } = await client()
      .messages.create({ model: 'claude', max_tokens: 100, messages: user('Hello') })
      .withResponse();
    expect(m).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude',
      content: [{ type: 'text', text: 'Bonjour' }],
      stop_reason: 'end_turn',
    });
    expect(m.usage).toMatchObject({ input_tokens: 12, output_tokens: 3 });
    const sent = t.ant.requests[0];
    expect(sent.body.model).toBe('claude-3-5-haiku');
    expect(sent.headers['x-api-key']).toBe(UPSTREAM_KEYS.ANT_KEY);
    expect(sent.headers.authorization).toBeUndefined();
    expect(response.headers.get('x-modelgate-provider')).toBe('ant');
    expect(usageLine(response.headers.get('x-request-id'))).toMatchObject({
      api: 'messages',
      route: 'claude',
      provider: 'ant',
      inputTokens: 12,
      outputTokens: 3,
      stream: false,
    });
  });

  it('sends the client bytes on untouched apart from the model, unknown fields and beta headers included', async () => {
    // Odd spacing, key order, escapes and fields the gateway has never heard of: only "model" may change.
    const raw = `{ "max_tokens" : 64, "model": "claude",\n "messages":[{"role":"user","content":"caf\\u00e9 1.0e2"}],
      "output_config": {"effort":"low","future_knob":[1.0, null]}, "context_management": {"edits":[{"type":"clear_tool_uses_20250919"}]},
      "big": 12345678901234567890 }`;
    const res = await post('/v1/messages?beta=true', raw, {
      'anthropic-version': '2023-06-01',
      'anthropic-beta': 'context-management-2025-06-27,effort-2025-11-24',
    });
    expect(res.status).toBe(200);
    const sent = t.ant.requests[0];
    expect(sent.rawBody).toBe(raw.replace('"model": "claude"', '"model": "claude-3-5-haiku"'));
    expect(sent.headers['anthropic-beta']).toBe('context-management-2025-06-27,effort-2025-11-24');
    expect(sent.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent.path).toBe('/v1/messages');
  });

  it('forwards the SDK beta API: anthropic-beta from `betas`, ?beta=true accepted', async () => {
    const m = await client().beta.messages.create({
      model: 'claude',
      max_tokens: 50,
      messages: user('hi'),
      betas: ['interleaved-thinking-2025-05-14'],
    });
    expect(m.content[0]).toMatchObject({ type: 'text' });
    expect(t.ant.requests[0].headers['anthropic-beta']).toBe('interleaved-thinking-2025-05-14');
  });

  it('passes on a field nested deeper than any call stack without walking it recursively', async () => {
    const depth = 30_000;
    const raw = `{"model":"claude","max_tokens":5,"messages":[{"role":"user","content":"x"}],"deep":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const res = await post('/v1/messages', raw);
    expect(res.status).toBe(200);
    expect(t.ant.requests[0].rawBody).toBe(raw.replace('"claude"', '"claude-3-5-haiku"'));
  });

  it('caps max_tokens at the route maximum, in the bytes', async () => {
    await post('/v1/messages', '{"model":"capped","max_tokens":4000,"messages":[{"role":"user","content":"x"}]}');
    expect(t.ant.requests[0].rawBody).toBe('{"model":"claude-3-5-haiku","max_tokens":64,"messages":[{"role":"user","content":"x"}]}');
    // A thinking budget the cap leaves no room for is lowered below it, its other settings kept.
    await post(
      '/v1/messages',
      '{"model":"capped-2k","max_tokens":32000,"thinking":{"type":"enabled","budget_tokens":31999,"display":"omitted"},"messages":[{"role":"user","content":"x"}]}',
    );
    expect(t.ant.requests[1].rawBody).toBe(
      '{"model":"claude-3-5-haiku","max_tokens":2048,"thinking":{"type":"enabled","budget_tokens":2047,"display":"omitted"},"messages":[{"role":"user","content":"x"}]}',
    );
  });

  it('re-encodes a body whose model is given twice, so that the provider reads the model the gateway chose', async () => {
    await post('/v1/messages', '{"model":"claude-opus-4","model":"claude","max_tokens":5,"messages":[{"role":"user","content":"x"}]}');
    const sent = t.ant.requests[0];
    expect(sent.rawBody.match(/"model"/g)).toHaveLength(1);
    expect(sent.body.model).toBe('claude-3-5-haiku');
  });

  it('streams the upstream events as they are, message_start renamed, and reads cache usage from them', async () => {
    t.ant.enqueue({ reply: 'one two three', usage: { input: 5, output: 3, cacheRead: 200, cacheWrite: 40 } });
    const stream = client().messages.stream({ model: 'claude', max_tokens: 100, messages: user('count') });
    const texts: string[] = [];
    stream.on('text', (text) => texts.push(text));
    const final = await stream.finalMessage();
    expect(texts.join('')).toBe('one two three');
    expect(final.model).toBe('claude');
    expect(final.usage).toMatchObject({ input_tokens: 5, output_tokens: 3, cache_read_input_tokens: 200, cache_creation_input_tokens: 40 });
    const line = usageLine(stream.request_id ?? null) ?? t.usage.at(-1);
    expect(line).toMatchObject({
      api: 'messages',
      stream: true,
      inputTokens: 245,
      cacheReadTokens: 200,
      cacheWriteTokens: 40,
      outputTokens: 3,
    });
  });

  it('streams a tool call with input_json_delta and takes its result back', async () => {
    t.ant.enqueue({ toolCall: { id: 'toolu_7', name: 'get_weather', arguments: { city: 'Paris', unit: 'C' } } });
    const tools = [
      { name: 'get_weather', description: 'Weather', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } },
    ];
    const stream = client().messages.stream({ model: 'claude', max_tokens: 100, tools, messages: user('weather?') });
    const fragments: string[] = [];
    stream.on('inputJson', (partial) => fragments.push(partial));
    const final = await stream.finalMessage();
    expect(fragments.length).toBeGreaterThan(1);
    expect(final.content).toEqual([{ type: 'tool_use', id: 'toolu_7', name: 'get_weather', input: { city: 'Paris', unit: 'C' } }]);
    expect(final.stop_reason).toBe('tool_use');

    await client().messages.create({
      model: 'claude',
      max_tokens: 100,
      tools,
      messages: [
        ...user('weather?'),
        { role: 'assistant', content: final.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_7', content: 'sunny' }] },
      ],
    });
    expect(t.ant.requests[1].body.messages[2].content).toEqual([{ type: 'tool_result', tool_use_id: 'toolu_7', content: 'sunny' }]);
  });

  it('counts tokens at Anthropic, with the model mapped', async () => {
    t.ant.enqueue({ usage: { input: 321, output: 0 } });
    const count = await client().messages.countTokens({ model: 'claude', messages: user('how many?') });
    expect(count.input_tokens).toBe(321);
    expect(t.ant.requests[0]).toMatchObject({ path: '/v1/messages/count_tokens', body: { model: 'claude-3-5-haiku' } });
  });
});

describe('Messages translated to an OpenAI provider', () => {
  it('translates the request and the answer both ways', async () => {
    t.oai.enqueue({ reply: 'Bonjour', usage: { input: 20, output: 2, cacheRead: 8 } });
    const { data: m, response } = await client()
      .messages.create({
        model: 'gpt',
        max_tokens: 200,
        system: [{ type: 'text', text: 'Answer in French.', cache_control: { type: 'ephemeral' } }],
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Hello' },
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0K' } },
            ],
          },
        ],
        stop_sequences: ['END'],
        ...untyped({ temperature: 0.3 }),
        metadata: { user_id: 'u-9' },
      })
      .withResponse();
    expect(m).toMatchObject({ type: 'message', model: 'gpt', content: [{ type: 'text', text: 'Bonjour' }], stop_reason: 'end_turn' });
    expect(m.id).toMatch(/^msg_/);
    expect(m.usage).toEqual({ input_tokens: 12, output_tokens: 2, cache_creation_input_tokens: 0, cache_read_input_tokens: 8 });
    expect(t.oai.requests[0].body).toEqual({
      model: 'gpt-4o-mini',
      max_completion_tokens: 200,
      messages: [
        { role: 'system', content: 'Answer in French.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Hello' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0K' } },
          ],
        },
      ],
      stop: ['END'],
      temperature: 0.3,
      user: 'u-9',
    });
    expect(usageLine(response.headers.get('x-request-id'))).toMatchObject({
      api: 'messages',
      provider: 'oai',
      inputTokens: 20,
      cacheReadTokens: 8,
    });
  });

  it('streams synthesized events the SDK accumulates, in Anthropic order', async () => {
    t.oai.enqueue({ reply: 'four five six', usage: { input: 6, output: 3 } });
    const res = await post('/v1/messages', JSON.stringify({ model: 'gpt', max_tokens: 50, stream: true, messages: user('count') }));
    const events = (await res.text())
      .split('\n\n')
      .filter(Boolean)
      .map((e) => e.split('\n')[0].slice('event: '.length));
    expect(events[0]).toBe('message_start');
    expect(events[1]).toBe('ping');
    expect(events.slice(2, 4)).toEqual(['content_block_start', 'content_block_delta']);
    expect(events.slice(-4)).toEqual(['content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    expect(t.oai.requests[0].body).toMatchObject({ stream: true, stream_options: { include_usage: true } });

    t.oai.enqueue({ reply: 'seven eight', usage: { input: 6, output: 2 } });
    const final = await client()
      .messages.stream({ model: 'gpt', max_tokens: 50, messages: user('count') })
      .finalMessage();
    expect(final).toMatchObject({
      model: 'gpt',
      content: [{ type: 'text', text: 'seven eight' }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 6, output_tokens: 2 },
    });
  });

  it('carries tools out and tool calls back, streamed as input_json_delta, and the round trip after it', async () => {
    const tools = [
      { name: 'get_weather', description: 'Weather', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } },
    ];
    t.oai.enqueue({ toolCall: { id: 'call_42', name: 'get_weather', arguments: { city: 'Oslo', days: 3 } } });
    const stream = client().messages.stream({
      model: 'gpt',
      max_tokens: 100,
      tools,
      tool_choice: { type: 'any' },
      messages: user('weather?'),
    });
    const fragments: string[] = [];
    stream.on('inputJson', (partial) => fragments.push(partial));
    const final = await stream.finalMessage();
    expect(fragments.join('')).toBe('{"city":"Oslo","days":3}');
    expect(fragments.length).toBeGreaterThan(1);
    expect(final.content).toEqual([{ type: 'tool_use', id: 'call_42', name: 'get_weather', input: { city: 'Oslo', days: 3 } }]);
    expect(final.stop_reason).toBe('tool_use');
    expect(t.oai.requests[0].body).toMatchObject({
      tool_choice: 'required',
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: tools[0].input_schema } }],
    });

    t.oai.enqueue({ reply: 'Sunny in Oslo.' });
    const answer = await client().messages.create({
      model: 'gpt',
      max_tokens: 100,
      tools,
      messages: [
        ...user('weather?'),
        { role: 'assistant', content: final.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_42', content: [{ type: 'text', text: 'sunny' }] }] },
      ],
    });
    expect(answer.content).toEqual([{ type: 'text', text: 'Sunny in Oslo.' }]);
    expect(t.oai.requests[1].body.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_42', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo","days":3}' } }],
      },
      { role: 'tool', tool_call_id: 'call_42', content: 'sunny' },
    ]);

    t.oai.enqueue({ toolCall: { id: 'call_43', name: 'get_weather', arguments: { city: 'Rome' } } });
    const created = await client().messages.create({ model: 'gpt', max_tokens: 100, tools, messages: user('and Rome?') });
    expect(created.content).toEqual([{ type: 'tool_use', id: 'call_43', name: 'get_weather', input: { city: 'Rome' } }]);
  });

  it('maps thinking to reasoning_effort on reasoning models, and sends none to the others', async () => {
    const thinking = { type: 'enabled' as const, budget_tokens: 10000 };
    await client().messages.create({ model: 'reasoner', max_tokens: 20000, thinking, messages: user('think') });
    expect(t.oai.requests[0].body).toMatchObject({ model: 'o4-mini', reasoning_effort: 'medium' });
    await client().messages.create({ model: 'gpt', max_tokens: 20000, thinking, messages: user('think') });
    expect(t.oai.requests[1].body).not.toHaveProperty('reasoning_effort');
  });

  it("serves a request shaped like Claude Code's (its fields as version 2.1 sends them)", async () => {
    t.oai.enqueue({ reply: 'Hi, I am here.' });
    const body = {
      model: 'gpt',
      messages: [
        { role: 'user', content: [{ type: 'text', text: '<system-reminder>cwd: /tmp</system-reminder>' }] },
        { role: 'system', content: [{ type: 'text', text: '# Environment' }] },
        { role: 'user', content: [{ type: 'text', text: 'say hi', cache_control: { type: 'ephemeral' } }] },
      ],
      system: [
        { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1.0;' },
        { type: 'text', text: 'You are an agent.', cache_control: { type: 'ephemeral' } },
      ],
      tools: [
        {
          name: 'Bash',
          description: 'Run a command',
          input_schema: { type: 'object', properties: { command: { type: 'string' } }, required: ['command'] },
        },
        {
          name: 'DeferredToolPlaceholder',
          description: 'never call this tool',
          input_schema: { type: 'object', properties: {} },
          defer_loading: true,
        },
      ],
      metadata: { user_id: JSON.stringify({ device_id: 'd', session_id: 's' }) },
      max_tokens: 32000,
      thinking: { budget_tokens: 31999, type: 'enabled', display: 'omitted' },
      context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
      output_config: { effort: 'high' },
      stream: true,
    };
    const res = await post('/v1/messages?beta=true', JSON.stringify(body), {
      'anthropic-version': '2023-06-01',
      'anthropic-beta': 'claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27',
    });
    expect(res.status).toBe(200);
    const deltas = (await res.text()).split('\n\n').filter((e) => e.startsWith('event: content_block_delta'));
    expect(deltas.map((e) => JSON.parse(e.split('\ndata: ')[1]).delta.text).join('')).toBe('Hi, I am here.');
    const sent = t.oai.requests[0].body;
    expect(sent.tools.map((tool: { function: { name: string } }) => tool.function.name)).toEqual(['Bash']);
    expect(sent.messages[0]).toEqual({ role: 'system', content: 'x-anthropic-billing-header: cc_version=2.1.0;\n\nYou are an agent.' });
    expect(sent).toMatchObject({ user: body.metadata.user_id, max_completion_tokens: 32000, stream: true });
    expect(sent).not.toHaveProperty('reasoning_effort');
  });

  it('refuses what chat cannot express with a 400 naming the field, before calling anyone', async () => {
    const err = await client()
      .messages.create({ model: 'gpt', max_tokens: 20, ...untyped({ top_k: 5 }), messages: user('x') })
      .catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect(err.error).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: expect.stringMatching(/^top_k: cannot be expressed for provider "oai"/) },
    });
    expect(t.oai.requests).toHaveLength(0);
  });

  it('estimates count_tokens, saying so', async () => {
    const { data, response } = await client()
      .messages.countTokens({ model: 'gpt', system: 'abcd', messages: user('efghijkl') })
      .withResponse();
    expect(data.input_tokens).toBe(3);
    expect(response.headers.get('x-modelgate-token-count')).toBe('estimate');
    expect(t.oai.requests).toHaveLength(0);
  });
});

describe('Messages errors, in Anthropic shape', () => {
  it('raises RateLimitError on a 429 with retry-after', async () => {
    t.ant.setDefault({ status: 429, retryAfterSeconds: 30 });
    const err = await client()
      .messages.create({ model: 'claude', max_tokens: 5, messages: user('x') })
      .catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    expect(err.headers.get('retry-after')).toBe('30');
    expect(err.error.error.type).toBe('rate_limit_error');
  });

  it('raises OverloadedError (529) once an overloaded Anthropic outlasts the retries', async () => {
    t.ant.setDefault({ status: 529 });
    const err = await client()
      .messages.create({ model: 'claude', max_tokens: 5, messages: user('x') })
      .catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.OverloadedError);
    expect(err.status).toBe(529);
    expect(err.error.error.type).toBe('overloaded_error');
    expect(t.ant.requests).toHaveLength(2); // the route retries once
  });

  it('raises InternalServerError for a provider 500, without the provider message', async () => {
    t.ant.setDefault({ status: 500, errorMessage: 'boom with secrets' });
    const err = await client()
      .messages.create({ model: 'claude', max_tokens: 5, messages: user('x') })
      .catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.InternalServerError);
    expect(err.error.error).toMatchObject({ type: 'api_error' });
    expect(JSON.stringify(err.error)).not.toContain('boom');
  });

  it('ends a stream cut after its first event with an error event, passthrough or translated', async () => {
    for (const model of ['claude', 'gpt']) {
      (model === 'claude' ? t.ant : t.oai).enqueue({ reply: 'a b c d e f', reset: 'mid-stream' });
      const err = await client()
        .messages.stream({ model, max_tokens: 50, messages: user('x') })
        .finalMessage()
        .catch((e) => e);
      expect(err).toBeInstanceOf(Anthropic.APIError);
      expect(err.error).toMatchObject({ type: 'error', error: { type: 'api_error' } });
    }
  });

  it('passes an in-stream overload on as an overloaded_error event', async () => {
    t.ant.enqueue({ reply: 'a b c', streamError: 529, errorMessage: 'Overloaded' });
    const res = await post('/v1/messages', JSON.stringify({ model: 'claude', max_tokens: 50, stream: true, messages: user('x') }));
    const text = await res.text();
    expect(text.startsWith('event: message_start')).toBe(true);
    expect(
      text.endsWith(
        `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Provider "ant" answered HTTP 529: it is overloaded. Retry later.' } })}\n\n`,
      ),
    ).toBe(true);
  });

  it('answers bad input with invalid_request_error naming the field, and calls no provider', async () => {
    const cases: [unknown, string][] = [
      [{ model: 'claude', messages: user('x') }, 'max_tokens'],
      [{ model: 'claude', max_tokens: 5, messages: [{ content: 'x' }] }, 'messages.0.role'],
      [{ model: 'claude', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'text', text: 7 }] }] }, 'messages.0.content.0.text'],
      [{ model: 'claude', max_tokens: 5, messages: [] }, 'messages'],
      [{ model: 'claude', max_tokens: 5, system: [{ type: 'image' }], messages: user('x') }, 'system.0'],
      [
        {
          model: 'claude',
          max_tokens: 5,
          messages: [
            { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'a', content: [{ type: 'tool_result', tool_use_id: 'b' }] }] },
          ],
        },
        'messages.0.content.0.content.0.type',
      ],
    ];
    for (const [body, field] of cases) {
      const err = await client()
        .messages.create(body as never)
        .catch((e) => e);
      expect(err).toBeInstanceOf(Anthropic.BadRequestError);
      expect(err.error.error.type).toBe('invalid_request_error');
      expect(err.error.error.message.startsWith(`${field}: `)).toBe(true);
    }
    const notJson = await post('/v1/messages', '{nope');
    expect(await notJson.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(t.ant.requests).toHaveLength(0);
    expect(t.oai.requests).toHaveLength(0);
  });

  it('answers an unknown model with not_found_error', async () => {
    const err = await client()
      .messages.create({ model: 'claude-sonnet-4-5', max_tokens: 5, messages: user('x') })
      .catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.NotFoundError);
    expect(err.error.error.type).toBe('not_found_error');
  });
});

describe('Messages fallback across provider kinds', () => {
  it('falls back from an overloaded Anthropic target to the OpenAI one, translated', async () => {
    t.ant.setDefault({ status: 529 });
    t.oai.enqueue({ reply: 'from openai' }, { reply: 'streamed from openai' });
    const { data: m, response } = await client()
      .messages.create({ model: 'claude-fb', max_tokens: 50, messages: user('x') })
      .withResponse();
    expect(m).toMatchObject({ model: 'claude-fb', content: [{ type: 'text', text: 'from openai' }] });
    expect(response.headers.get('x-modelgate-provider')).toBe('oai');
    expect(usageLine(response.headers.get('x-request-id'))).toMatchObject({ api: 'messages', provider: 'oai', attempts: 3 });
    expect(t.oai.requests[0].body.messages).toEqual([{ role: 'user', content: 'x' }]);

    const final = await client()
      .messages.stream({ model: 'claude-fb', max_tokens: 50, messages: user('x') })
      .finalMessage();
    expect(final.content).toEqual([{ type: 'text', text: 'streamed from openai' }]);
  });
});

describe('Messages with the gateway policies', () => {
  it('takes the key in x-api-key, refuses a missing or wrong one and a route outside the policy', async () => {
    t.ant.enqueue({ reply: 'ok' });
    const viaHeader = new Anthropic({
      baseURL: t.gateway.url,
      apiKey: null,
      authToken: null,
      defaultHeaders: { 'x-api-key': KEYS.alice },
      maxRetries: 0,
    });
    expect((await viaHeader.messages.create({ model: 'claude', max_tokens: 5, messages: user('x') })).content[0]).toMatchObject({
      text: 'ok',
    });
    const missing = await post('/v1/messages', '{}', { 'x-api-key': '' });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    expect(
      await client('sk-wrong')
        .messages.create({ model: 'claude', max_tokens: 5, messages: user('x') })
        .catch((e) => e),
    ).toBeInstanceOf(Anthropic.AuthenticationError);
    const denied = await client(KEYS.bob)
      .messages.create({ model: 'claude', max_tokens: 5, messages: user('x') })
      .catch((e) => e);
    expect(denied).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect(t.ant.requests).toHaveLength(1);
  });

  it('prices cache tokens as Anthropic does and refuses once the budget is spent', async () => {
    // 1000 input x 0.8 + 100000 read x 0.08 + 20000 written x 1.0 + 100 output x 4, per million: 0.0292 USD.
    t.ant.enqueue({ usage: { input: 1000, output: 100, cacheRead: 100_000, cacheWrite: 20_000 } });
    const { response } = await client(KEYS.carol)
      .messages.create({ model: 'claude', max_tokens: 5, messages: user('x') })
      .withResponse();
    expect(usageLine(response.headers.get('x-request-id'))).toMatchObject({
      inputTokens: 121_000,
      cacheReadTokens: 100_000,
      cacheWriteTokens: 20_000,
      costUsd: 0.0292,
    });
    const spent = await client(KEYS.carol)
      .messages.create({ model: 'claude', max_tokens: 5, messages: user('x') })
      .catch((e) => e);
    expect(spent).toBeInstanceOf(Anthropic.RateLimitError);
    expect(spent.error.error.type).toBe('rate_limit_error');
    expect(t.ant.requests).toHaveLength(1);
  });

  it('redacts the system prompt, text blocks and tool results, passthrough and translated', async () => {
    const messages = [
      { role: 'user' as const, content: [{ type: 'text' as const, text: 'Mail bob@example.com' }] },
      { role: 'assistant' as const, content: [{ type: 'tool_use' as const, id: 't1', name: 'lookup', input: { q: 'ORD-1234' } }] },
      {
        role: 'user' as const,
        content: [
          {
            type: 'tool_result' as const,
            tool_use_id: 't1',
            content: [{ type: 'text' as const, text: 'Order ORD-1234 for eve@example.com' }],
          },
        ],
      },
    ];
    const system = [{ type: 'text' as const, text: 'Operator: ops@example.com' }];
    await client().messages.create({ model: 'claude', max_tokens: 5, system, messages });
    const sent = t.ant.requests[0].body;
    expect(sent.system[0].text).toBe('Operator: [REDACTED:email]');
    expect(sent.messages[0].content[0].text).toBe('Mail [REDACTED:email]');
    expect(sent.messages[2].content[0].content[0].text).toBe('Order [REDACTED:order-id] for [REDACTED:email]');
    expect(sent.messages[1].content[0].input).toEqual({ q: 'ORD-1234' }); // the model's own tool input is left alone
    expect(t.ant.requests[0].rawBody).not.toContain('example.com');

    await client().messages.create({ model: 'gpt', max_tokens: 5, system, messages });
    expect(JSON.stringify(t.oai.requests[0].body.messages)).not.toContain('example.com');
  });

  it('caches non-streaming answers per API', async () => {
    t.ant.enqueue({ reply: 'cached answer' });
    const ask = () =>
      client()
        .messages.create({ model: 'claude-cached', max_tokens: 5, messages: user('same') })
        .withResponse();
    const first = await ask();
    const second = await ask();
    expect(second.data).toEqual(first.data);
    expect([first.response.headers.get('x-cache'), second.response.headers.get('x-cache')]).toEqual(['miss', 'hit']);
    expect(t.ant.requests).toHaveLength(1);
  });

  it('labels request metrics with the API', async () => {
    await client().messages.create({ model: 'claude', max_tokens: 5, messages: user('x') });
    const text = await (await fetch(`${t.gateway.url}/metrics`)).text();
    expect(text).toMatch(/modelgate_requests_total\{api="messages",route="claude",provider="ant",consumer="alice",status="200"\} \d+/);
  });
});
