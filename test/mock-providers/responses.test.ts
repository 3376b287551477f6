// The Responses API of the OpenAI mock, held to what the official SDK's `responses.create` and `responses.stream` accept.
import OpenAI, { AzureOpenAI } from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockOpenAI, type MockUpstream } from './index.ts';

let oai: MockUpstream;
beforeAll(async () => {
  oai = await startMockOpenAI({ apiKey: 'sk-mock' });
});
afterAll(() => oai.close());
beforeEach(() => oai.reset());

const client = () => new OpenAI({ baseURL: oai.baseUrl, apiKey: 'sk-mock', maxRetries: 0 });
const MODEL = 'gpt-4.1-mini';
const weatherTool = {
  type: 'function' as const,
  name: 'get_weather',
  parameters: { type: 'object', properties: { city: { type: 'string' } } },
  strict: false,
};

describe('mock OpenAI Responses API', () => {
  it('answers responses.create with a message and usage the SDK parses', async () => {
    oai.enqueue({ reply: 'hi there', usage: { input: 7, output: 2, cacheRead: 4 } });
    const r = await client().responses.create({ model: MODEL, instructions: 'be brief', input: 'hello' });
    expect(r).toMatchObject({ object: 'response', status: 'completed', model: MODEL, instructions: 'be brief' });
    expect(r.id).toMatch(/^resp_/);
    expect(r.output_text).toBe('hi there');
    expect(r.output[0]).toMatchObject({
      type: 'message',
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: 'hi there', annotations: [] }],
    });
    expect(r.usage).toEqual({
      input_tokens: 7,
      input_tokens_details: { cached_tokens: 4 },
      output_tokens: 2,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 9,
    });
    expect(oai.requests[0]).toMatchObject({ path: '/v1/responses', body: { input: 'hello' } });
  });

  it('answers with a function_call item', async () => {
    oai.enqueue({ toolCall: { id: 'call_42', name: 'get_weather', arguments: { city: 'Paris' } } });
    const r = await client().responses.create({ model: MODEL, input: [{ role: 'user', content: 'weather?' }], tools: [weatherTool] });
    expect(r.output).toEqual([
      {
        type: 'function_call',
        id: 'fc_mock01',
        call_id: 'call_42',
        name: 'get_weather',
        arguments: '{"city":"Paris"}',
        status: 'completed',
      },
    ]);
  });

  it('streams response.created .. response.completed with sequence numbers, which responses.stream assembles', async () => {
    oai.enqueue({ reply: 'one two three', usage: { input: 3, output: 3 } });
    const stream = client().responses.stream({ model: MODEL, input: 'count' });
    const events: ResponseStreamEvent[] = [];
    stream.on('event', (e) => events.push(e));
    const final = await stream.finalResponse();
    expect(final.output_text).toBe('one two three');
    expect(final.usage?.total_tokens).toBe(6);
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...Array(3).fill('response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events[4]).toMatchObject({ item_id: 'msg_mock01', output_index: 0, content_index: 0, delta: 'one ' });
  });

  it('streams function call arguments in deltas', async () => {
    oai.enqueue({ toolCall: { name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' } } });
    const stream = client().responses.stream({ model: MODEL, input: 'weather?', tools: [weatherTool] });
    let args = '';
    stream.on('response.function_call_arguments.delta', (e) => (args += e.delta));
    const done = new Promise((resolve) => stream.on('response.function_call_arguments.done', resolve));
    const final = await stream.finalResponse();
    expect(JSON.parse(args)).toEqual({ city: 'Paris', unit: 'celsius' });
    expect(await done).toMatchObject({ item_id: 'fc_mock01', name: 'get_weather', arguments: args });
    expect(final.output[0]).toMatchObject({ type: 'function_call', call_id: 'call_mock1', arguments: args });
  });

  it('ends incomplete at max_output_tokens', async () => {
    oai.enqueue({ reply: 'a reply much longer than four tokens' });
    const r = await client().responses.create({ model: MODEL, input: 'x', max_output_tokens: 4 });
    expect(r).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output_text: 'a reply much lon' });
  });

  it('serves the Azure paths', async () => {
    const azure = new AzureOpenAI({ endpoint: oai.origin, apiKey: 'sk-mock', apiVersion: '2025-04-01-preview', maxRetries: 0 });
    expect((await azure.responses.create({ model: 'dep-1', input: 'hi' })).output_text).toBe('Hello from the mock OpenAI.');
    expect(oai.requests[0].path).toBe('/openai/responses?api-version=2025-04-01-preview');
    expect(oai.requests[0].headers['api-key']).toBe('sk-mock');
    const v1 = new OpenAI({ baseURL: `${oai.origin}/openai/v1`, apiKey: 'sk-mock', maxRetries: 0 });
    expect((await v1.responses.create({ model: 'dep-1', input: 'hi' })).status).toBe('completed');
  });

  it('sends errors the SDK turns into typed exceptions, and rejects chat-style requests', async () => {
    oai.enqueue({ status: 429, retryAfterSeconds: 7 }, { status: 500 });
    const limited = await client()
      .responses.create({ model: MODEL, input: 'x' })
      .catch((e) => e);
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(
      await client()
        .responses.create({ model: MODEL, input: 'x' })
        .catch((e) => e),
    ).toBeInstanceOf(OpenAI.InternalServerError);
    const chatTool = { type: 'function', function: { name: 'f', parameters: {} } } as never;
    const bad = await client()
      .responses.create({ model: MODEL, input: 'x', tools: [chatTool] })
      .catch((e) => e);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    expect(bad.message).toContain("'tools[0].name'");
  });

  it('fails a stream in-band with response.failed, or resets it', async () => {
    oai.enqueue({ streamError: 500, errorMessage: 'boom' }, { reset: 'mid-stream' });
    const events: ResponseStreamEvent[] = [];
    for await (const e of await client().responses.create({ model: MODEL, input: 'x', stream: true })) events.push(e);
    expect(events.map((e) => e.type)).toEqual(['response.created', 'response.failed']);
    expect(events[1]).toMatchObject({
      sequence_number: 1,
      response: { status: 'failed', error: { code: 'server_error', message: 'boom' } },
    });
    await expect(client().responses.stream({ model: MODEL, input: 'x' }).finalResponse()).rejects.toThrow();
  });
});
