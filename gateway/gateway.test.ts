// The gateway as OpenAI clients see it: the official `openai` SDK against mock OpenAI and Anthropic upstreams.
import { createHmac } from 'node:crypto';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, UPSTREAM_KEYS, type TestGateway } from '../test/support/gateway-fixture.ts';
import { KEYS, testConsumer, testPolicy } from '../test/support/ir-fixture.ts';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway(
    (ir) => {
      // Azure OpenAI and a self-hosted server, both answered by the OpenAI mock, which takes any such path.
      ir.providers.push(
        {
          ...ir.providers[0],
          name: 'az',
          type: 'azure-openai',
          baseUrl: t0origin(ir),
          apiVersion: '2024-10-21',
          models: [{ ...ir.providers[0].models[0], deployment: 'dep-1' }],
        },
        {
          ...ir.providers[0],
          name: 'vllm',
          type: 'openai-compatible',
          headers: { 'x-cluster': 'eu1' },
          models: [{ ...ir.providers[0].models[0], name: 'llama' }],
        },
      );
      ir.routes.push(
        { ...ir.routes[1], name: 'azure', targets: [{ provider: 'az', model: 'gpt-4o-mini', weight: 100 }] },
        { ...ir.routes[1], name: 'local', maxTokens: 64, targets: [{ provider: 'vllm', model: 'llama', weight: 100 }] },
      );
      ir.accessPolicies[0].routes.push('azure', 'local');
      // JWT callers: `dave` is the consumer for subject svc-dave.
      ir.gateway.auth.jwt = [
        {
          issuer: JWT_ISSUER,
          audiences: ['modelgate'],
          algorithms: ['HS256'],
          secret: { ref: 'env:JWT_SECRET', source: 'env', name: 'JWT_SECRET' },
        },
      ];
      ir.consumers.push(testConsumer('dave', { jwt: { issuer: JWT_ISSUER, claims: { sub: 'svc-dave' } } }));
      ir.accessPolicies.push(testPolicy('jwt-callers', { consumers: ['dave'], routes: ['chat'] }));
      ir.accessPolicies.push(
        testPolicy('tight-budget', { consumers: ['carol'], routes: ['claude'], limits: { monthlyBudgetUsd: 0.0001 } }),
      );
    },
    { JWT_SECRET },
  );
});
/** The OpenAI mock's origin, from the fixture's base URL (`origin/v1`). */
const t0origin = (ir: { providers: { baseUrl: string }[] }) => ir.providers[0].baseUrl.replace(/\/v1$/, '');
afterAll(() => t.close());
beforeEach(() => {
  t.oai.reset();
  t.ant.reset();
});

const JWT_ISSUER = 'https://sso.test';
const JWT_SECRET = 'jwt-secret-for-tests-only';
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
function jwt(claims: Record<string, unknown>, secret = JWT_SECRET): string {
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ iss: JWT_ISSUER, aud: 'modelgate', exp: Math.floor(Date.now() / 1000) + 300, ...claims })}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

const client = (apiKey: string = KEYS.alice) => new OpenAI({ baseURL: t.baseURL, apiKey, maxRetries: 0 });

describe('chat completions on an OpenAI upstream', () => {
  it('answers a non-streaming call with the upstream answer and its own credential upstream', async () => {
    t.oai.enqueue({ reply: 'Hi Alice', usage: { input: 11, output: 3 } });
    const r = await client().chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hello' }] });
    expect(r.choices[0].message.content).toBe('Hi Alice');
    expect(r.usage?.total_tokens).toBe(14);
    const upstream = t.oai.requests[0];
    expect(upstream.body.model).toBe('gpt-4o-mini');
    expect(upstream.headers.authorization).toBe(`Bearer ${UPSTREAM_KEYS.OAI_KEY}`);
    expect(upstream.body.max_completion_tokens).toBe(500); // the route's maxTokens when the client sets none
  });

  it('caps max_tokens at the route maximum', async () => {
    await client().chat.completions.create({ model: 'chat', max_tokens: 4000, messages: [{ role: 'user', content: 'x' }] });
    expect(t.oai.requests[0].body.max_tokens).toBe(500);
  });

  it('streams chunk by chunk, with the usage chunk only when asked for', async () => {
    t.oai.enqueue({ reply: 'one two three', usage: { input: 4, output: 3 } }, { reply: 'four five' });
    const stream = await client().chat.completions.create({
      model: 'chat',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'count' }],
    });
    let text = '';
    let usage;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe('one two three');
    expect(usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 3 });

    const plain = await client().chat.completions.create({ model: 'chat', stream: true, messages: [{ role: 'user', content: 'count' }] });
    const chunks = [];
    for await (const chunk of plain) chunks.push(chunk);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('four five');
    expect(chunks.every((c) => c.choices.length === 1)).toBe(true); // the usage chunk the gateway asked for is dropped
    expect(t.oai.requests[1].body.stream_options).toEqual({ include_usage: true });
  });

  it('answers embeddings', async () => {
    const e = await client().embeddings.create({ model: 'embed', input: ['a', 'b'] });
    expect(e.data).toHaveLength(2);
    expect(t.oai.requests[0].body.model).toBe('text-embedding-3-small');
  });
});

describe('Azure OpenAI and OpenAI-compatible upstreams', () => {
  it('calls the Azure deployment URL with the api-key header', async () => {
    await client().chat.completions.create({ model: 'azure', messages: [{ role: 'user', content: 'x' }] });
    const sent = t.oai.requests[0];
    expect(sent.path).toBe('/openai/deployments/dep-1/chat/completions?api-version=2024-10-21');
    expect(sent.headers['api-key']).toBe(UPSTREAM_KEYS.OAI_KEY);
    expect(sent.headers.authorization).toBeUndefined();
  });

  it('sends max_tokens and the provider headers to an OpenAI-compatible server', async () => {
    await client().chat.completions.create({ model: 'local', messages: [{ role: 'user', content: 'x' }] });
    const sent = t.oai.requests[0];
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.body).toMatchObject({ model: 'llama', max_tokens: 64 });
    expect(sent.headers['x-cluster']).toBe('eu1');
  });
});

describe('chat completions on an Anthropic upstream', () => {
  it('translates the request and the answer both ways', async () => {
    t.ant.enqueue({ reply: 'Bonjour', usage: { input: 9, output: 2 } });
    const r = await client().chat.completions.create({
      model: 'claude',
      messages: [
        { role: 'system', content: 'Answer in French.' },
        { role: 'user', content: 'Hello' },
      ],
      stop: 'END',
      temperature: 0.3,
    });
    expect(r.object).toBe('chat.completion');
    expect(r.choices[0]).toMatchObject({ message: { role: 'assistant', content: 'Bonjour' }, finish_reason: 'stop' });
    expect(r.usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 });
    const sent = t.ant.requests[0];
    expect(sent.headers['x-api-key']).toBe(UPSTREAM_KEYS.ANT_KEY);
    expect(sent.body).toMatchObject({
      model: 'claude-3-5-haiku',
      system: 'Answer in French.',
      max_tokens: 1024,
      stop_sequences: ['END'],
      temperature: 0.3,
    });
    expect(sent.body.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }]);
  });

  it('streams Anthropic events as OpenAI chunks with a final usage chunk', async () => {
    t.ant.enqueue({ reply: 'a b c', usage: { input: 5, output: 3 } });
    const stream = await client().chat.completions.create({
      model: 'claude',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'abc' }],
    });
    let text = '';
    let finish;
    let usage;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe('a b c');
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 });
  });

  it('carries tool definitions out and tool calls back, streaming or not', async () => {
    const tools = [
      {
        type: 'function' as const,
        function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
      },
    ];
    t.ant.enqueue(
      { toolCall: { id: 'toolu_1', name: 'get_weather', arguments: { city: 'Paris' } } },
      { toolCall: { id: 'toolu_2', name: 'get_weather', arguments: { city: 'Oslo' } } },
    );
    const r = await client().chat.completions.create({
      model: 'claude',
      tools,
      tool_choice: 'required',
      messages: [{ role: 'user', content: 'weather?' }],
    });
    expect(r.choices[0].finish_reason).toBe('tool_calls');
    expect(r.choices[0].message.tool_calls).toEqual([
      { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    ]);
    expect(t.ant.requests[0].body.tools).toEqual([
      { name: 'get_weather', description: 'Weather', input_schema: tools[0].function.parameters },
    ]);
    expect(t.ant.requests[0].body.tool_choice).toEqual({ type: 'any' });

    const stream = client().chat.completions.stream({ model: 'claude', tools, messages: [{ role: 'user', content: 'weather?' }] });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0].message.tool_calls?.[0]).toMatchObject({
      id: 'toolu_2',
      function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
    });
  });

  it('sends tool results back as tool_result blocks', async () => {
    await client().chat.completions.create({
      model: 'claude',
      messages: [
        { role: 'user', content: 'weather?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
        },
        { role: 'tool', tool_call_id: 'toolu_1', content: 'sunny' },
      ],
    });
    expect(t.ant.requests[0].body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'weather?' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'sunny' }] },
    ]);
  });

  it('maps Anthropic errors to OpenAI errors with the right status', async () => {
    t.ant.enqueue({ status: 400, errorMessage: 'messages: too long' });
    const bad = await client()
      .chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    expect(bad.error).toMatchObject({ message: 'messages: too long', type: 'invalid_request_error' });
    t.ant.setDefault({ status: 529 });
    const overloaded = await client()
      .chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e);
    expect(overloaded.status).toBe(503);
    expect(overloaded.code).toBe('upstream_overloaded');
  });
});

describe('chat answers and what Anthropic routes take', () => {
  it('names the route asked for as the model, streaming or not, whatever the provider', async () => {
    const r = await client().chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'x' }] });
    expect(r.model).toBe('chat');
    expect(t.oai.requests[0].body.model).toBe('gpt-4o-mini');
    for (const model of ['chat', 'claude']) {
      const stream = await client().chat.completions.create({
        model,
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'x' }],
      });
      for await (const chunk of stream) expect(chunk.model).toBe(model);
    }
    expect((await client().chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'x' }] })).model).toBe('claude');
  });

  it('leaves out an empty assistant turn, which Anthropic refuses', async () => {
    const r = await client().chat.completions.create({
      model: 'claude',
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: '' },
        { role: 'user', content: 'b' },
      ],
    });
    expect(r.choices[0].message.content).toBeTruthy();
    expect(t.ant.requests[0].body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      },
    ]);
  });

  it('refuses with unsupported_parameter, naming it, what Anthropic cannot honour', async () => {
    for (const [param, value] of [
      ['seed', 7],
      ['logprobs', true],
      ['frequency_penalty', 0.5],
      ['presence_penalty', 1],
    ] as const) {
      const err = await client()
        .chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'x' }], [param]: value })
        .catch((e) => e);
      expect(err).toBeInstanceOf(OpenAI.BadRequestError);
      expect(err.error).toMatchObject({ code: 'unsupported_parameter', param });
    }
    expect(t.ant.requests).toHaveLength(0);
  });

  it('turns reasoning_effort into a thinking budget', async () => {
    await client().chat.completions.create({ model: 'claude', reasoning_effort: 'low', messages: [{ role: 'user', content: 'x' }] });
    expect(t.ant.requests[0].body).toMatchObject({ max_tokens: 1024 + 1024, thinking: { type: 'enabled', budget_tokens: 1024 } });
  });

  it('answers response_format json_schema with the JSON of a forced tool call, streaming or not', async () => {
    const response_format = {
      type: 'json_schema' as const,
      json_schema: { name: 'place', schema: { type: 'object', properties: { city: { type: 'string' } } } },
    };
    t.ant.enqueue(
      { toolCall: { name: 'place', arguments: { city: 'Oslo' } } },
      { toolCall: { name: 'place', arguments: { city: 'Rome' } } },
    );
    const r = await client().chat.completions.create({ model: 'claude', response_format, messages: [{ role: 'user', content: 'x' }] });
    expect(r.choices[0]).toMatchObject({ message: { content: '{"city":"Oslo"}' }, finish_reason: 'stop' });
    expect(t.ant.requests[0].body.tool_choice).toEqual({ type: 'tool', name: 'place' });
    const stream = await client().chat.completions.create({
      model: 'claude',
      response_format,
      stream: true,
      messages: [{ role: 'user', content: 'x' }],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(JSON.parse(text)).toEqual({ city: 'Rome' });
  });
});

describe('who may call what', () => {
  it('refuses a missing or unknown key with 401, a route outside the policy with 403', async () => {
    const missing = await fetch(`${t.baseURL}/chat/completions`, { method: 'POST', body: '{}' });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { type: 'authentication_error' } });
    expect(
      await client('sk-wrong')
        .models.list()
        .catch((e) => e),
    ).toBeInstanceOf(OpenAI.AuthenticationError);
    const denied = await client(KEYS.bob)
      .chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e);
    expect(denied).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(denied.code).toBe('model_not_permitted');
    expect(t.ant.requests).toHaveLength(0);
  });

  it('takes JWTs: 200 for a mapped subject, 403 for a genuine token of no consumer, 401 for a bad signature', async () => {
    const ok = await client(jwt({ sub: 'svc-dave' })).chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(ok.choices[0].message.content).toBeTruthy();
    expect(
      await client(jwt({ sub: 'svc-nobody' }))
        .models.list()
        .catch((e) => e),
    ).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(
      await client(jwt({ sub: 'svc-dave' }, 'wrong-secret'))
        .models.list()
        .catch((e) => e),
    ).toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('lists only the routes the caller may use', async () => {
    const ids = (await client(KEYS.bob).models.list()).data.map((m) => m.id);
    expect(ids).toEqual(['chat']);
    expect((await client(KEYS.bob).models.retrieve('chat')).id).toBe('chat');
    expect(
      await client(KEYS.bob)
        .models.retrieve('claude')
        .catch((e) => e),
    ).toBeInstanceOf(OpenAI.NotFoundError);
    expect((await client(KEYS.carol).models.list()).data.map((m) => m.id)).toEqual(['claude']);
  });

  it('answers unknown models 404 and malformed requests 400', async () => {
    const unknown = await client()
      .chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    const res = await fetch(`${t.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.alice}` },
      body: '{not json',
    });
    expect(res.status).toBe(400);
    const wrong = await client()
      .chat.completions.create({ model: 'embed', messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e);
    expect(wrong.status).toBe(400);
    const garbage = await client()
      .chat.completions.create({ model: 'chat', messages: [null as never] })
      .catch((e) => e);
    expect(garbage.code).toBe('invalid_messages');
  });

  it('refuses bodies over the limit with 413', async () => {
    const big = JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'x'.repeat(70 * 1024) }] });
    const res = await fetch(`${t.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.alice}` },
      body: big,
    });
    expect(res.status).toBe(413);
    expect(t.oai.requests).toHaveLength(0);
  });

  it('rate limits with 429, retry-after and x-ratelimit headers', async () => {
    const ok = await client(KEYS.bob)
      .chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'x' }] })
      .withResponse();
    expect(ok.response.headers.get('x-ratelimit-limit-requests')).toBe('2');
    await client(KEYS.bob).chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'x' }] });
    const limited = await client(KEYS.bob)
      .chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e);
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect(limited.code).toBe('rate_limit_exceeded');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('x-ratelimit-remaining-requests')).toBe('0');
  });

  it('refuses with insufficient_quota once the monthly budget is spent', async () => {
    t.ant.enqueue({ usage: { input: 1000, output: 100 } }); // 1000 x 0.8 + 100 x 4 per 1M = 0.0012 USD
    await client(KEYS.carol).chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'x' }] });
    const spent = await client(KEYS.carol)
      .chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e);
    expect(spent).toBeInstanceOf(OpenAI.RateLimitError);
    expect(spent.error).toMatchObject({ type: 'insufficient_quota', code: 'insufficient_quota' });
    expect(t.ant.requests).toHaveLength(1);
  });
});

describe('probes and metrics', () => {
  it('serves /healthz, /readyz and Prometheus metrics', async () => {
    expect((await fetch(`${t.gateway.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${t.gateway.url}/readyz`)).status).toBe(200);
    await client().chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'x' }] });
    const text = await (await fetch(`${t.gateway.url}/metrics`)).text();
    expect(text).toMatch(/modelgate_requests_total\{api="chat",route="chat",provider="oai",consumer="alice",status="200"\} \d+/);
    expect(text).toContain('modelgate_upstream_duration_seconds_bucket');
    expect(text).toMatch(/modelgate_tokens_total\{route="chat",provider="oai",policy="everything",consumer="alice",direction="input"\}/);
  });

  it('times the first streamed event and the output token rate per route, provider and model', async () => {
    const count = async (name: string) => {
      const text = await (await fetch(`${t.gateway.url}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith(`${name}_count{route="chat",provider="oai",model="gpt-4o-mini"}`));
      return Number(line?.split(' ')[1] ?? 0);
    };
    const [firstTokens, rates] = [await count('modelgate_time_to_first_token_seconds'), await count('modelgate_output_tokens_per_second')];
    t.oai.enqueue({ reply: 'one two three', usage: { input: 3, output: 3 }, delayMs: 20 }, { reply: 'four five', delayMs: 20 });
    const stream = await client().chat.completions.create({ model: 'chat', stream: true, messages: [{ role: 'user', content: 'x' }] });
    for await (const _ of stream);
    // Only streams have a first event; the JSON answer adds a token rate alone.
    await client().chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'x' }] });
    expect(await count('modelgate_time_to_first_token_seconds')).toBe(firstTokens + 1);
    expect(await count('modelgate_output_tokens_per_second')).toBeGreaterThan(rates);
  });
});
