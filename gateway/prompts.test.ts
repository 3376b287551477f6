// Prompt endpoints: variables checked by the prompt's schema, Handlebars rendering, versions by weight.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IRPrompt } from '../compiler/ir/types.ts';
import { startTestGateway, type TestGateway } from '../test/support/gateway-fixture.ts';
import { KEYS, testPrompt } from '../test/support/ir-fixture.ts';
import { compilePrompts } from './prompts.ts';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway((ir) => {
    ir.prompts.push({ ...ir.prompts[0], name: 'greet-oai', route: 'chat' });
    ir.accessPolicies[0].prompts.push('greet-oai');
  });
});
afterAll(() => t.close());
beforeEach(() => {
  t.ant.reset();
  t.oai.reset();
});

const call = (name: string, body: unknown, key: string = KEYS.alice) =>
  fetch(`${t.baseURL}/prompts/${name}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('POST /v1/prompts/{name}', () => {
  it('renders the chosen version without HTML escaping and sends it to the prompt route', async () => {
    t.ant.enqueue({ reply: 'Hello Ann!' });
    const res = await call('greet', { variables: { name: '<Ann>' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-modelgate-prompt-version')).toBe('v1');
    const body: any = await res.json();
    expect(body.choices[0].message.content).toBe('Hello Ann!');
    const sent = t.ant.requests[0].body;
    expect(sent.system).toBe('Be brief.');
    expect(sent.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Say hello to <Ann> & co.' }] }]);
    expect(sent).toMatchObject({ temperature: 0.2, max_tokens: 50 });
    expect(t.usage[t.usage.length - 1]).toMatchObject({ prompt: 'greet', promptVersion: 'v1', route: 'claude' });
  });

  it('answers 400 with the schema message when the variables do not match', async () => {
    const res = await call('greet', { variables: { nom: 'Ann' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        message: "variables must have required property 'name'",
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_variables',
      },
    });
    expect(t.ant.requests).toHaveLength(0);
  });

  it('streams when asked', async () => {
    t.ant.enqueue({ reply: 'Hi there' });
    const res = await call('greet', { variables: { name: 'Ann' }, stream: true });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text();
    expect(text).toContain('"content":"Hi "');
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it('sends stream_options only with stream, and names the route as the model', async () => {
    const res = await call('greet-oai', { variables: { name: 'Ann' }, stream_options: { include_usage: true } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).model).toBe('chat');
    expect(t.oai.requests[0].body).not.toHaveProperty('stream_options');
    const streamed = await call('greet-oai', { variables: { name: 'Ann' }, stream: true, stream_options: { include_usage: true } });
    expect(await streamed.text()).toContain('"usage":{');
    expect(t.oai.requests[1].body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('refuses an unknown prompt with 404 and a prompt outside the policy with 403', async () => {
    expect((await call('nope', { variables: {} })).status).toBe(404);
    expect((await call('greet', { variables: { name: 'Ann' } }, KEYS.bob)).status).toBe(403);
  });
});

describe('compilePrompts', () => {
  const prompt = (content: string, serve?: IRPrompt['serve']): IRPrompt =>
    testPrompt('p', 'chat', {
      variables: { type: 'object', properties: { who: { type: 'string' } } },
      versions: { v1: { messages: [{ role: 'user', content }] }, v2: { messages: [{ role: 'user', content: `v2 ${content}` }] } },
      ...(serve ? { serve } : {}),
    });

  it('fails at load on a syntax error or an unknown helper, naming prompt and version', () => {
    expect(() => compilePrompts([prompt('{{#each who}')])).toThrow(/prompt "p" version v1 message 0/);
    expect(() => compilePrompts([prompt('{{shout who}}')])).toThrow(/unknown helper shout/);
  });

  it('is strict about missing variables and never reads prototype properties', () => {
    const p = compilePrompts([prompt('Hi {{who}}')]).get('p')!;
    expect(() => p.render({})).toThrow(/"who" not defined/);
    const proto = compilePrompts([prompt('[{{who.constructor.name}}]')]).get('p')!;
    expect(() => proto.render({ who: 'x' })).toThrow();
  });

  it('splits versions by weight', () => {
    const p = compilePrompts([
      prompt('Hi {{who}}', [
        { version: 'v1', weight: 0 },
        { version: 'v2', weight: 100 },
      ]),
    ]).get('p')!;
    expect(p.render({ who: 'Ann' })).toMatchObject({ version: 'v2', messages: [{ role: 'user', content: 'v2 Hi Ann' }] });
  });
});
