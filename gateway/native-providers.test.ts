// Bedrock and Gemini routes as OpenAI clients see them: the official `openai` SDK against the gateway, in front of
// mocks that speak Converse (checking SigV4) and the Gemini API (checking the key).
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, UPSTREAM_KEYS, type TestGateway } from '../test/support/gateway-fixture.ts';
import { KEYS, NATIVE_MODELS } from '../test/support/ir-fixture.ts';
import type { MockUpstream } from '../test/mock-providers/index.ts';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway((ir) => {
    // When Bedrock and Gemini are out, the OpenAI provider takes over.
    const fallback = [{ provider: 'oai', model: 'gpt-4o-mini' }];
    ir.routes.push(
      { ...ir.routes.find((r) => r.name === 'bedrock')!, name: 'bedrock-or-openai', fallbacks: fallback },
      { ...ir.routes.find((r) => r.name === 'gemini')!, name: 'gemini-or-openai', fallbacks: fallback },
    );
    ir.accessPolicies[0]!.routes.push('bedrock-or-openai', 'gemini-or-openai');
  });
});
afterAll(() => t.close());
beforeEach(() => {
  for (const mock of [t.oai, t.brk, t.gem]) mock.reset();
});

const client = () => new OpenAI({ baseURL: t.baseURL, apiKey: KEYS.alice, maxRetries: 0 });
const tools: OpenAI.ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'weather',
      description: 'Weather by city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
];

/** What differs between the two providers; everything else is asked of both alike. */
const PROVIDERS = [
  {
    route: 'bedrock',
    provider: 'brk',
    model: NATIVE_MODELS.bedrock,
    mock: () => t.brk,
    path: (stream: boolean) => `/model/${encodeURIComponent(NATIVE_MODELS.bedrock)}/${stream ? 'converse-stream' : 'converse'}`,
    /** How the request proved who sent it (the mock checked it too). */
    credential: (h: Record<string, unknown>) =>
      String(h.authorization)
        .replace(/\d{8}/, 'DATE')
        .replace(/Signature=[0-9a-f]{64}$/, 'Signature=…'),
    expectedCredential: `AWS4-HMAC-SHA256 Credential=${UPSTREAM_KEYS.BRK_KEY_ID}/DATE/us-east-1/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=…`,
    /** Usage as the provider counts it, and as the usage line must show it. */
    usage: { sent: { input: 9, output: 3, cacheRead: 4 }, input: 13, output: 3 },
    /** The user text and the limit as the request arrived upstream. */
    asked: (body: any) => ({
      text: body.messages[0].content[0].text,
      maxTokens: body.inferenceConfig?.maxTokens,
      system: body.system?.[0]?.text,
    }),
    /** The tool exchange as it arrived upstream in the second request. */
    toolTurns: (body: any) => body.messages.slice(1).map((m: any) => m.content),
    expectedToolTurns: (id: string) => [
      [{ toolUse: { toolUseId: id, name: 'weather', input: { city: 'Oslo' } } }],
      [{ toolResult: { toolUseId: id, content: [{ text: '{"celsius":4}' }] } }],
    ],
  },
  {
    route: 'gemini',
    provider: 'gem',
    model: NATIVE_MODELS.gemini,
    mock: () => t.gem,
    path: (stream: boolean) => `/v1beta/models/${NATIVE_MODELS.gemini}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
    credential: (h: Record<string, unknown>) => h['x-goog-api-key'],
    expectedCredential: UPSTREAM_KEYS.GEM_KEY,
    usage: { sent: { input: 13, output: 3, cacheRead: 4 }, input: 13, output: 3 },
    asked: (body: any) => ({
      text: body.contents[0].parts[0].text,
      maxTokens: body.generationConfig?.maxOutputTokens,
      system: body.systemInstruction?.parts[0]?.text,
    }),
    toolTurns: (body: any) => body.contents.slice(1).map((c: any) => c.parts),
    expectedToolTurns: () => [
      [{ functionCall: { name: 'weather', args: { city: 'Oslo' } } }],
      [{ functionResponse: { name: 'weather', response: { celsius: 4 } } }],
    ],
  },
];

describe.each(PROVIDERS)('chat completions on a $provider upstream', (p) => {
  const mock = (): MockUpstream => p.mock();

  it('answers a non-streaming call, translated both ways, with usage and cost in the usage line', async () => {
    mock().enqueue({ reply: 'Bonjour', usage: p.usage.sent });
    const r = await client().chat.completions.create({
      model: p.route,
      max_tokens: 50,
      messages: [
        { role: 'system', content: 'French.' },
        { role: 'user', content: 'Hello' },
      ],
    });
    expect(r.object).toBe('chat.completion');
    expect(r.choices[0]).toMatchObject({ message: { role: 'assistant', content: 'Bonjour' }, finish_reason: 'stop' });
    expect(r.usage).toMatchObject({
      prompt_tokens: p.usage.input,
      completion_tokens: 3,
      total_tokens: p.usage.input + 3,
      prompt_tokens_details: { cached_tokens: 4 },
    });
    const sent = mock().requests[0]!;
    expect(sent.path).toBe(p.path(false));
    expect(p.credential(sent.headers)).toBe(p.expectedCredential);
    expect(p.asked(sent.body)).toEqual({ text: 'Hello', maxTokens: 50, system: 'French.' });
    const line = t.usage.at(-1);
    expect(line).toMatchObject({
      route: p.route,
      provider: p.provider,
      model: p.model,
      status: 200,
      inputTokens: p.usage.input,
      outputTokens: 3,
      stream: false,
    });
    expect(line.costUsd).toBeGreaterThan(0);
  });

  it('streams text chunk by chunk, with the usage chunk when asked for', async () => {
    mock().enqueue({ reply: 'one two three', usage: p.usage.sent });
    const stream = await client().chat.completions.create({
      model: p.route,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'count' }],
    });
    let text = '';
    let usage;
    let finish;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe('one two three');
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: p.usage.input, completion_tokens: 3 });
    expect(mock().requests[0]!.path).toBe(p.path(true));
    expect(t.usage.at(-1)).toMatchObject({
      route: p.route,
      provider: p.provider,
      inputTokens: p.usage.input,
      outputTokens: 3,
      stream: true,
      status: 200,
    });
  });

  it('completes a tool-call round trip, streamed arguments included', async () => {
    mock().enqueue({ toolCall: { name: 'weather', arguments: { city: 'Oslo' } } }, { reply: 'It is 4 °C in Oslo.' });
    const first = await client().chat.completions.create({
      model: p.route,
      tools,
      messages: [{ role: 'user', content: 'Weather in Oslo?' }],
    });
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    const call = first.choices[0]!.message.tool_calls![0]! as OpenAI.ChatCompletionMessageFunctionToolCall;
    expect(call.function).toEqual({ name: 'weather', arguments: '{"city":"Oslo"}' });
    const second = await client().chat.completions.create({
      model: p.route,
      tools,
      messages: [
        { role: 'user', content: 'Weather in Oslo?' },
        first.choices[0]!.message,
        { role: 'tool', tool_call_id: call.id, content: '{"celsius":4}' },
      ],
    });
    expect(second.choices[0]!.message.content).toBe('It is 4 °C in Oslo.');
    expect(p.toolTurns(mock().requests[1]!.body)).toEqual(p.expectedToolTurns(call.id));

    mock().enqueue({ toolCall: { name: 'weather', arguments: { city: 'Reykjavík' } } });
    const stream = await client().chat.completions.create({
      model: p.route,
      tools,
      stream: true,
      messages: [{ role: 'user', content: 'And Reykjavík?' }],
    });
    let args = '';
    let name;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta.tool_calls?.[0];
      name ??= delta?.function?.name;
      args += delta?.function?.arguments ?? '';
    }
    expect(name).toBe('weather');
    expect(JSON.parse(args)).toEqual({ city: 'Reykjavík' });
  });

  it('falls back to another provider when it is rate limited', async () => {
    mock().enqueue({ status: 429, retryAfterSeconds: 1 });
    t.oai.enqueue({ reply: 'from OpenAI' });
    const r = await client().chat.completions.create({ model: `${p.route}-or-openai`, messages: [{ role: 'user', content: 'x' }] });
    expect(r.choices[0]!.message.content).toBe('from OpenAI');
    expect(t.usage.at(-1)).toMatchObject({ route: `${p.route}-or-openai`, provider: 'oai', attempts: 2, status: 200 });
  });

  it('retries a 500, then answers 502', async () => {
    mock().enqueue({ status: 500 }, { status: 500 });
    const err = await client()
      .chat.completions.create({ model: p.route, messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.status).toBe(502);
    expect(err.code).toBe('upstream_error');
    expect(mock().requests).toHaveLength(2);
  });

  it('ends a stream cut short, or failing mid-way, with an error event', async () => {
    for (const behaviour of [{ reset: 'mid-stream' as const }, { streamError: 503 }]) {
      mock().enqueue({ ...behaviour, reply: 'one two three four' });
      const stream = await client().chat.completions.create({ model: p.route, stream: true, messages: [{ role: 'user', content: 'x' }] });
      const err = await (async () => {
        for await (const _ of stream);
      })().catch((e) => e);
      expect(err, JSON.stringify(behaviour)).toBeInstanceOf(OpenAI.APIError);
      expect(t.usage.at(-1)).toMatchObject({
        route: p.route,
        status: 200,
        error: expect.stringMatching(/^upstream_(unavailable|overloaded)$/),
      });
    }
  });
});

describe('provider errors in the gateway terms', () => {
  it('passes on the wait Gemini asks for in its body as retry-after', async () => {
    t.gem.enqueue({ status: 429, retryAfterSeconds: 7 });
    const err = await client()
      .chat.completions.create({ model: 'gemini', messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err.headers.get('retry-after')).toBe('7');
  });

  it('relays a request Bedrock refuses as a 400 with its message', async () => {
    t.brk.enqueue({ status: 400, errorMessage: 'Malformed input request: please reformat your input and try again.' });
    const err = await client()
      .chat.completions.create({ model: 'bedrock', messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.message).toContain('Malformed input request');
  });

  it('refuses what the provider cannot express before any request leaves', async () => {
    const err = await client()
      .chat.completions.create({ model: 'bedrock', seed: 1, messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.code).toBe('unsupported_parameter');
    expect(t.brk.requests).toHaveLength(0);
  });
});

describe('wrong upstream credentials', () => {
  let wrong: TestGateway;
  const PLANTED = { BRK_SECRET: 'planted-wrong-aws-secret-0123456789abcdef', GEM_KEY: 'AIza-planted-wrong-gemini-key' };
  beforeAll(async () => {
    wrong = await startTestGateway(() => {}, PLANTED);
  });
  afterAll(() => wrong.close());

  it.each(['bedrock', 'gemini'])('answers %s as an upstream auth failure that shows no credential', async (route) => {
    const err = await new OpenAI({ baseURL: wrong.baseURL, apiKey: KEYS.alice, maxRetries: 0 }).chat.completions
      .create({ model: route, messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.status).toBe(502);
    expect(err.code).toBe('upstream_auth_failed');
    const seen = JSON.stringify(err.error) + wrong.usageText() + wrong.logText();
    for (const secret of [...Object.values(PLANTED), UPSTREAM_KEYS.BRK_SECRET, UPSTREAM_KEYS.GEM_KEY]) expect(seen).not.toContain(secret);
  });
});

it('writes no upstream credential into the usage or operational logs', () => {
  const seen = t.usageText() + t.logText();
  for (const secret of Object.values(UPSTREAM_KEYS)) expect(seen).not.toContain(secret);
});
