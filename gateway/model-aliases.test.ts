// Route aliases end to end: the ids agents send land on their route, answers say the id that was asked for, and
// `/v1/models` shows the aliases a caller may use.
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../test/support/gateway-fixture.ts';
import { KEYS } from '../test/support/ir-fixture.ts';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway((ir) => {
    const route = (name: string) => ir.routes.find((r) => r.name === name)!;
    route('chat').aliases = { exact: ['gpt-4o-mini', 'gpt-5'], patterns: ['gpt-4o-mini-*'] };
    route('claude').aliases = { exact: ['claude-haiku-4-5'], patterns: ['claude-*-4-5*', 'claude-sonnet-*'] };
    route('cached').aliases = { exact: ['gpt-4o-mini-cached'], patterns: [] };
  });
});
afterAll(() => t.close());
beforeEach(() => {
  t.oai.reset();
  t.ant.reset();
});

const client = (apiKey: string = KEYS.alice) => new OpenAI({ baseURL: t.baseURL, apiKey, maxRetries: 0 });
const ask = (model: string, apiKey?: string) =>
  client(apiKey).chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });

describe('a model id matched by an alias pattern', () => {
  it("lands on its route and is the answer's model (a translated Anthropic answer)", async () => {
    const r = await ask('claude-sonnet-4-5-20250929').withResponse();
    expect(r.data.model).toBe('claude-sonnet-4-5-20250929');
    expect(r.response.headers.get('x-modelgate-model')).toBe('claude-3-5-haiku');
    expect(t.ant.requests[0]!.body.model).toBe('claude-3-5-haiku');
    expect(t.usage.at(-1)).toMatchObject({ route: 'claude', model: 'claude-3-5-haiku', status: 200 });
  });

  it('is the model of every chunk of a stream', async () => {
    const stream = await client().chat.completions.create({
      model: 'claude-opus-4-5',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'hi' }],
    });
    const models = new Set<string>();
    for await (const chunk of stream) models.add(chunk.model);
    expect([...models]).toEqual(['claude-opus-4-5']);
  });

  it('is spliced into an OpenAI answer passed through as bytes, JSON and stream', async () => {
    const r = await ask('gpt-4o-mini-2024-07-18');
    expect(r.model).toBe('gpt-4o-mini-2024-07-18');
    expect(t.oai.requests[0]!.body.model).toBe('gpt-4o-mini');
    const stream = await client().chat.completions.create({
      model: 'gpt-4o-mini-2024-07-18',
      stream: true,
      messages: [{ role: 'user', content: 'a b c' }],
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.every((c) => c.model === 'gpt-4o-mini-2024-07-18')).toBe(true);
  });
});

describe('exact aliases and route names', () => {
  it('answer with the id asked for, alias or route name, whatever the provider names', async () => {
    expect((await ask('gpt-5')).model).toBe('gpt-5');
    expect((await ask('gpt-4o-mini')).model).toBe('gpt-4o-mini');
    expect((await ask('chat')).model).toBe('chat');
    expect(t.oai.requests.map((r) => r.body.model)).toEqual(['gpt-4o-mini', 'gpt-4o-mini', 'gpt-4o-mini']);
  });

  it('serve a cached answer with the model it was asked by', async () => {
    t.oai.enqueue({ reply: 'cached once' });
    expect((await ask('gpt-4o-mini-cached')).model).toBe('gpt-4o-mini-cached');
    const hit = await ask('gpt-4o-mini-cached').withResponse();
    expect(hit.response.headers.get('x-cache')).toBe('hit');
    expect(hit.data).toMatchObject({ model: 'gpt-4o-mini-cached', choices: [{ message: { content: 'cached once' } }] });
  });

  it('inherit the grants of their route', async () => {
    expect((await ask('gpt-5', KEYS.bob)).model).toBe('gpt-5');
    const denied = await ask('claude-haiku-4-5', KEYS.bob).catch((e) => e);
    expect(denied).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(denied.code).toBe('model_not_permitted');
  });

  it('leave an unknown id a 404 model_not_found', async () => {
    const unknown = await ask('gemini-2.5-pro').catch((e) => e);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect(unknown.code).toBe('model_not_found');
    expect(t.oai.requests).toHaveLength(0);
  });
});

describe('GET /v1/models', () => {
  it('lists the routes and the exact aliases the caller may use (patterns cannot be listed)', async () => {
    expect((await client(KEYS.bob).models.list()).data.map((m) => m.id)).toEqual(['chat', 'gpt-4o-mini', 'gpt-5']);
    expect((await client().models.list()).data.map((m) => m.id)).toEqual([
      'bedrock',
      'cached',
      'chat',
      'claude',
      'claude-haiku-4-5',
      'embed',
      'gemini',
      'gpt-4o-mini',
      'gpt-4o-mini-cached',
      'gpt-5',
    ]);
  });

  it('retrieves any id a chat call could use, pattern-matched ones included, and hides the others', async () => {
    expect((await client(KEYS.bob).models.retrieve('gpt-4o-mini-2024-07-18')).id).toBe('gpt-4o-mini-2024-07-18');
    expect(
      await client(KEYS.bob)
        .models.retrieve('claude-sonnet-4-5')
        .catch((e) => e),
    ).toBeInstanceOf(OpenAI.NotFoundError);
    expect((await client().models.retrieve('claude-sonnet-4-5')).id).toBe('claude-sonnet-4-5');
  });
});
