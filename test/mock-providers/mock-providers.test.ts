// The mocks are only useful if the official SDKs accept what they send: these tests hold them to that.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockAnthropic, startMockOpenAI, type MockUpstream } from './index.ts';

let oai: MockUpstream;
let ant: MockUpstream;
beforeAll(async () => {
  [oai, ant] = await Promise.all([startMockOpenAI({ apiKey: 'sk-mock' }), startMockAnthropic({ apiKey: 'sk-ant-mock' })]);
});
afterAll(async () => Promise.all([oai.close(), ant.close()]));
beforeEach(() => {
  oai.reset();
  ant.reset();
});

describe('mock OpenAI', () => {
  const client = () => new OpenAI({ baseURL: oai.baseUrl, apiKey: 'sk-mock', maxRetries: 0 });

  it('answers a chat completion the SDK parses, and records the request', async () => {
    oai.enqueue({ reply: 'hi there', usage: { input: 7, output: 2 } });
    const r = await client().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] });
    expect(r.choices[0].message.content).toBe('hi there');
    expect(r.usage).toEqual({ prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 });
    expect(oai.requests[0].headers.authorization).toBe('Bearer sk-mock');
    expect(oai.requests[0].body.messages[0].content).toBe('hello');
  });

  it('streams chunks with a final usage chunk when include_usage is set', async () => {
    oai.enqueue({ reply: 'one two three', usage: { input: 3, output: 3 } });
    const stream = await client().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'count' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('one two three');
    expect(usage).toEqual({ prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 });
  });

  it('sends errors the SDK turns into typed exceptions, with retry-after', async () => {
    oai.enqueue({ status: 429, retryAfterSeconds: 7 });
    const err = await client()
      .chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err.headers.get('retry-after')).toBe('7');
    const denied = await new OpenAI({ baseURL: oai.baseUrl, apiKey: 'wrong', maxRetries: 0 }).models.list().catch((e) => e);
    expect(denied).toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('answers embeddings and resets connections on request', async () => {
    const e = await client().embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'bb'] });
    expect(e.data).toHaveLength(2);
    oai.enqueue({ reset: 'before-headers' });
    const err = await client()
      .chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIConnectionError);
  });

  it('reports cached tokens, and fails a stream with an error chunk', async () => {
    oai.enqueue({ usage: { input: 9, output: 1, cacheRead: 8 } }, { streamError: 500, errorMessage: 'boom' });
    const r = await client().chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
    expect(r.usage?.prompt_tokens_details).toEqual({ cached_tokens: 8 });
    const stream = await client().chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true });
    const err = await (async () => {
      for await (const _ of stream);
    })().catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.message).toContain('boom');
  });
});

describe('mock Anthropic', () => {
  const client = () => new Anthropic({ baseURL: ant.origin, apiKey: 'sk-ant-mock', maxRetries: 0 });

  it('answers a message the SDK parses', async () => {
    ant.enqueue({ reply: 'bonjour', usage: { input: 5, output: 1 } });
    const m = await client().messages.create({ model: 'claude-3-5-haiku', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    expect(m.content).toEqual([{ type: 'text', text: 'bonjour' }]);
    expect(m.usage.input_tokens).toBe(5);
    expect(ant.requests[0].headers['anthropic-version']).toBeTruthy();
  });

  it('streams the real event sequence, tool use included', async () => {
    ant.enqueue({ toolCall: { name: 'get_weather', arguments: { city: 'Paris' } } });
    const stream = client().messages.stream({
      model: 'claude-3-5-haiku',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'weather?' }],
    });
    const final = await stream.finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { city: 'Paris' } });
    expect(final.stop_reason).toBe('tool_use');
  });

  it('rejects what the real API rejects', async () => {
    const err = await client()
      .messages.create({ model: 'claude', max_tokens: 5, messages: [{ role: 'robot' as 'user', content: 'x' }] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    ant.enqueue({ status: 529 });
    const overloaded = await client()
      .messages.create({ model: 'claude', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })
      .catch((e) => e);
    expect(overloaded.status).toBe(529);
    expect(overloaded.error.error.type).toBe('overloaded_error');
    const empty = await client()
      .messages.create({
        model: 'claude',
        max_tokens: 5,
        messages: [
          { role: 'user', content: 'x' },
          { role: 'assistant', content: '' },
          { role: 'user', content: 'y' },
        ],
      })
      .catch((e) => e);
    expect(empty.error.error.message).toBe(
      'messages.1: all messages must have non-empty content except for the optional final assistant message',
    );
  });

  it('counts tokens', async () => {
    ant.enqueue({ usage: { input: 42, output: 0 } });
    const count = await client().messages.countTokens({ model: 'claude', messages: [{ role: 'user', content: 'hi' }] });
    expect(count.input_tokens).toBe(42);
    expect(ant.requests[0].path).toBe('/v1/messages/count_tokens');
  });

  it('reports cache tokens, and fails a stream with an error event', async () => {
    ant.enqueue({ usage: { input: 2, output: 1, cacheRead: 30, cacheWrite: 5 } }, { streamError: 529, errorMessage: 'Overloaded' });
    const m = await client().messages.create({ model: 'claude', max_tokens: 50, messages: [{ role: 'user', content: 'x' }] });
    expect(m.usage).toMatchObject({ input_tokens: 2, cache_read_input_tokens: 30, cache_creation_input_tokens: 5 });
    const err = await client()
      .messages.stream({ model: 'claude', max_tokens: 50, messages: [{ role: 'user', content: 'x' }] })
      .finalMessage()
      .catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect(err.message).toContain('overloaded_error');
  });
});
