import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IRProvider } from '../../../compiler/ir/types.ts';
import type { Call } from '../../call.ts';
import { GatewayError } from '../../errors.ts';
import type { StreamTranslator } from '../../providers/adapter.ts';
import { openAIAdapter } from '../../providers/openai.ts';
import { failureError, UpstreamFailure } from '../../providers/upstream-errors.ts';
import type { Candidate } from '../../routing.ts';
import { chatPivotLeg, type PivotRequest } from '../chat-pivot.ts';
import { fromChatAnswer } from './from-chat.ts';
import { validateRequest } from './request.ts';
import { ResponsesStreamTranslator } from './stream.ts';
import { toChat } from './to-chat.ts';

// Chat streams as an OpenAI-compatible server sends them (with the usage chunk that toChat asks for).
const envelope = { id: 'chatcmpl-9', object: 'chat.completion.chunk', created: 1700000000, model: 'upstream-model' };
const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ ...envelope, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], usage: null })}\n\n`;
const usageChunk = `data: ${JSON.stringify({ ...envelope, choices: [], usage: { prompt_tokens: 21, completion_tokens: 7, total_tokens: 28, prompt_tokens_details: { cached_tokens: 16 }, completion_tokens_details: { reasoning_tokens: 3 } } })}\n\n`;
const DONE = 'data: [DONE]\n\n';

const TEXT_STREAM = [
  chunk({ role: 'assistant', content: '' }),
  chunk({ content: 'Héllo' }),
  chunk({ content: ', wörld 🌍' }),
  chunk({}, 'stop'),
  usageChunk,
  DONE,
].join('');

const callStart = (index: number, id: string, name: string) =>
  chunk({ tool_calls: [{ index, id, type: 'function', function: { name, arguments: '' } }] });
const callArgs = (index: number, args: string) => chunk({ tool_calls: [{ index, function: { arguments: args } }] });
const TOOL_STREAM = [
  chunk({ role: 'assistant', content: null }),
  chunk({ content: 'Let me check.' }),
  callStart(0, 'call_paris', 'weather'),
  callArgs(0, '{"ci'),
  callArgs(0, 'ty": "Par'),
  callStart(1, 'call_oslo', 'weather'),
  callArgs(1, '{"city": "Oslo"}'),
  callArgs(0, 'is"}'), // interleaved, as some providers send them
  chunk({}, 'tool_calls'),
  usageChunk,
  DONE,
].join('');

// Codex's apply_patch: a custom tool, whose text the model wraps as {"input": ...} in the function arguments.
const PATCH = '*** Begin Patch\n*** Add File: hello.txt\n+Héllo\n*** End Patch\n';
const wrapped = JSON.stringify({ input: PATCH });
const CUSTOM_STREAM = [
  chunk({ role: 'assistant', content: null }),
  callStart(0, 'call_patch', 'apply_patch'),
  callArgs(0, wrapped.slice(0, 7)),
  callArgs(0, wrapped.slice(7, 30)),
  callArgs(0, wrapped.slice(30)),
  chunk({}, 'tool_calls'),
  usageChunk,
  DONE,
].join('');
const PATCH_TOOL = { type: 'custom', name: 'apply_patch', description: 'Edit files' };

const LENGTH_STREAM = [
  chunk({ role: 'assistant', content: '' }),
  chunk({ content: 'Once upon' }),
  chunk({}, 'length'),
  usageChunk,
  DONE,
].join('');

const context = (fields: Record<string, unknown> = {}) => ({
  model: 'gpt-5-codex',
  request: validateRequest({ model: 'gpt-5-codex', input: 'hi', ...fields }),
  stored: false,
});

// The translator behind the chat pivot, as the gateway runs it for a chat-only server: the OpenAI-compatible
// adapter reads the chat SSE (and its usage chunk), the pivot parses the chunks for the translator.
const compatible = openAIAdapter(
  { name: 'vllm', type: 'openai-compatible', baseUrl: 'http://127.0.0.1:1', models: [{ name: 'm' }], headers: {} } as unknown as IRProvider,
  undefined,
);
const candidate = { provider: { adapter: compatible }, model: { name: 'm' } } as unknown as Candidate;

/** The pivot's stream, its events made by `translator`. */
function pivoted(translator: ResponsesStreamTranslator): StreamTranslator {
  const leg = chatPivotLeg<PivotRequest>({
    toChat: () => ({ body: {}, stream: true, includeUsage: false, maxTokens: undefined }),
    fromChat: () => '',
    events: () => translator,
  });
  const req: PivotRequest = { body: {}, stream: true };
  leg.request({} as Call, req, candidate);
  return leg.stream({} as Call, req, candidate);
}

/** Feeds `sse` in pieces of `size` bytes (cutting through events, lines and UTF-8 characters). */
function feed(translator: ResponsesStreamTranslator, sse: string, size: number): string {
  const stream = pivoted(translator);
  const bytes = Buffer.from(sse);
  let out = '';
  for (let i = 0; i < bytes.length; i += size) out += stream.push(bytes.subarray(i, i + size));
  return out + stream.end();
}

/** What the gateway ends a stream with when its provider dropped it. */
const CUT = failureError(new UpstreamFailure('reset'), 'vllm');

interface Event {
  event: string;
  data: Record<string, any>;
}

function events(sse: string): Event[] {
  return sse
    .split('\n\n')
    .filter(Boolean)
    .map((block) => {
      const [eventLine, dataLine, ...rest] = block.split('\n');
      expect(rest).toEqual([]);
      expect(eventLine).toMatch(/^event: /);
      expect(dataLine).toMatch(/^data: /);
      return { event: eventLine.slice(7), data: JSON.parse(dataLine.slice(6)) };
    });
}

/** Random ids and clocks replaced, so that two translations of one stream compare equal. */
const normalized = (sse: string) =>
  sse.replace(/(resp|msg|fc|ctc)_[0-9a-f]{48}/g, '$1_ID').replace(/"(created_at|completed_at)":\d+/g, '"$1":0');

describe('ResponsesStreamTranslator', () => {
  it('translates a text stream into the Responses event sequence', () => {
    const finished: unknown[] = [];
    const translator = new ResponsesStreamTranslator(context(), (r) => finished.push(r));
    const list = events(feed(translator, TEXT_STREAM, 1 << 20));
    expect(list.map((e) => e.event)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    list.forEach((e, i) => {
      expect(e.data.type).toBe(e.event);
      expect(e.data.sequence_number).toBe(i);
    });
    expect(list[0].data.response).toMatchObject({ status: 'in_progress', output: [], model: 'gpt-5-codex', usage: null });
    const itemId = list[2].data.item.id;
    expect(list[4].data).toMatchObject({ item_id: itemId, output_index: 0, content_index: 0, delta: 'Héllo' });
    expect(list[6].data).toMatchObject({ item_id: itemId, text: 'Héllo, wörld 🌍' });
    const completed = list[9].data.response;
    expect(completed).toMatchObject({
      status: 'completed',
      output: [{ id: itemId, type: 'message', status: 'completed', content: [{ type: 'output_text', text: 'Héllo, wörld 🌍' }] }],
      usage: {
        input_tokens: 21,
        input_tokens_details: { cached_tokens: 16 },
        output_tokens: 7,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 28,
      },
    });
    expect(completed.id).toBe(list[0].data.response.id);
    expect(finished).toEqual([completed]);
  });

  it('translates tool calls, arguments in fragments and interleaved, into function_call items', () => {
    const translator = new ResponsesStreamTranslator(context());
    const list = events(feed(translator, TOOL_STREAM, 1 << 20));
    const added = list.filter((e) => e.event === 'response.output_item.added').map((e) => e.data);
    expect(added.map((a) => [a.output_index, a.item.type, a.item.call_id, a.item.name])).toEqual([
      [0, 'message', undefined, undefined],
      [1, 'function_call', 'call_paris', 'weather'],
      [2, 'function_call', 'call_oslo', 'weather'],
    ]);
    const argDeltas = list
      .filter((e) => e.event === 'response.function_call_arguments.delta')
      .map((e) => [e.data.output_index, e.data.delta]);
    expect(argDeltas).toEqual([
      [1, '{"ci'],
      [1, 'ty": "Par'],
      [2, '{"city": "Oslo"}'],
      [1, 'is"}'],
    ]);
    const argsDone = list.filter((e) => e.event === 'response.function_call_arguments.done').map((e) => e.data);
    expect(argsDone).toMatchObject([
      { output_index: 1, item_id: added[1].item.id, name: 'weather', arguments: '{"city": "Paris"}' },
      { output_index: 2, name: 'weather', arguments: '{"city": "Oslo"}' },
    ]);
    expect(list.at(-1)!.data.response.output).toMatchObject([
      { type: 'message', content: [{ text: 'Let me check.' }] },
      { type: 'function_call', status: 'completed', call_id: 'call_paris', arguments: '{"city": "Paris"}' },
      { type: 'function_call', status: 'completed', call_id: 'call_oslo', arguments: '{"city": "Oslo"}' },
    ]);
  });

  it("streams a custom tool's call as a custom_tool_call item with its text unwrapped", () => {
    const list = events(feed(new ResponsesStreamTranslator(context({ tools: [PATCH_TOOL] })), CUSTOM_STREAM, 1 << 20));
    expect(list.map((e) => e.event)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.custom_tool_call_input.delta',
      'response.custom_tool_call_input.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(list[2].data.item).toMatchObject({ type: 'custom_tool_call', call_id: 'call_patch', name: 'apply_patch', input: '' });
    expect(list[2].data.item.id).toMatch(/^ctc_/);
    expect(list[3].data).toMatchObject({ item_id: list[2].data.item.id, output_index: 0, delta: PATCH });
    expect(list[4].data.input).toBe(PATCH);
    expect(list[6].data.response.output).toEqual([
      { id: list[2].data.item.id, type: 'custom_tool_call', call_id: 'call_patch', name: 'apply_patch', input: PATCH },
    ]);
  });

  it.each([1, 2, 3, 5, 7, 13, 64])('gives the same events whatever the chunking (%i-byte pieces)', (size) => {
    for (const sse of [TEXT_STREAM, TOOL_STREAM, CUSTOM_STREAM]) {
      const ctx = () => context({ tools: [PATCH_TOOL] });
      const whole = feed(new ResponsesStreamTranslator(ctx()), sse, 1 << 20);
      expect(normalized(feed(new ResponsesStreamTranslator(ctx()), sse, size))).toBe(normalized(whole));
    }
  });

  it('accepts CRLF event boundaries and an unterminated final [DONE]', () => {
    const crlf = TEXT_STREAM.replaceAll('\n\n', '\r\n\r\n').slice(0, -4);
    const translator = new ResponsesStreamTranslator(context());
    expect(events(feed(translator, crlf, 9)).at(-1)!.event).toBe('response.completed');
  });

  it('ends an answer cut by the token limit with response.incomplete', () => {
    const list = events(feed(new ResponsesStreamTranslator(context()), LENGTH_STREAM, 1 << 20));
    expect(list.at(-1)).toMatchObject({
      event: 'response.incomplete',
      data: { response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [{ status: 'incomplete' }] } },
    });
  });

  it('makes an empty answer one empty message', () => {
    const list = events(feed(new ResponsesStreamTranslator(context()), chunk({}, 'stop') + DONE, 1 << 20));
    expect(list.map((e) => e.event)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(list.at(-1)!.data.response.output[0].content).toEqual([{ type: 'output_text', text: '', annotations: [], logprobs: [] }]);
  });

  it('streams a refusal as a refusal part', () => {
    const list = events(feed(new ResponsesStreamTranslator(context()), chunk({ refusal: 'No.' }) + chunk({}, 'stop') + DONE, 1 << 20));
    expect(list.map((e) => e.event)).toContain('response.refusal.delta');
    expect(list.at(-1)!.data.response.output[0].content).toEqual([{ type: 'refusal', refusal: 'No.' }]);
  });

  it('ends a stream stopped before [DONE] (the pivot throws) with response.failed and an error event', () => {
    const finished: unknown[] = [];
    const translator = new ResponsesStreamTranslator(context(), (r) => finished.push(r));
    const stream = pivoted(translator);
    // Cut inside the event that starts the second call.
    const cut = TOOL_STREAM.slice(0, TOOL_STREAM.indexOf(callStart(1, 'call_oslo', 'weather')) + 20);
    const sent = events(String(stream.push(Buffer.from(cut))));
    expect(() => stream.end()).toThrow(UpstreamFailure);
    expect(finished).toEqual([]);
    const tail = events(stream.fail!(CUT)!);
    expect(tail.map((e) => e.event)).toEqual(['response.failed', 'error']);
    expect(tail.map((e) => e.data.sequence_number)).toEqual([sent.length, sent.length + 1]);
    expect(tail[0].data.response).toMatchObject({
      status: 'failed',
      error: { code: 'upstream_unavailable' },
      output: [{ type: 'message' }, { type: 'function_call', arguments: '{"city": "Par' }],
    });
    expect(tail[1].data).toMatchObject({ code: 'upstream_unavailable', error: { type: 'api_error', code: 'upstream_unavailable' } });
  });

  it('sends only the error event when nothing was sent yet', () => {
    const stream = pivoted(new ResponsesStreamTranslator(context()));
    expect(() => stream.push(Buffer.from('data: {"error":{"message":"overloaded"}}\n\n'))).toThrow(UpstreamFailure);
    expect(events(stream.fail!(CUT)!).map((e) => e.event)).toEqual(['error']);
  });
});

// The official SDK against a server that answers with this module's output, as the gateway will.
describe('with the official openai SDK', () => {
  /** What the mock "provider" answers, by the request's first input text. */
  const scenarios: Record<string, { stream: string; cut?: boolean }> = {
    text: { stream: TEXT_STREAM },
    tools: { stream: TOOL_STREAM },
    patch: { stream: CUSTOM_STREAM },
    length: { stream: LENGTH_STREAM },
    cut: { stream: TOOL_STREAM.slice(0, TOOL_STREAM.lastIndexOf('data: {')), cut: true },
  };
  const chatBodies: Record<string, any>[] = [];
  let server: Server;
  let client: OpenAI;

  /** The chat completion a non-streaming provider would send for a scenario: the stream's content, whole. */
  function chatCompletion(name: string) {
    let output: any[] = [];
    feed(new ResponsesStreamTranslator(context(), (r) => (output = r.output)), scenarios[name].stream, 1 << 20);
    const text = output.find((o) => o.type === 'message')?.content[0]?.text ?? null;
    const calls = output
      .filter((o) => o.type === 'function_call')
      .map((o) => ({ id: o.call_id, type: 'function', function: { name: o.name, arguments: o.arguments } }));
    const finish = name === 'length' ? 'length' : calls.length ? 'tool_calls' : 'stop';
    const message = calls.length ? { role: 'assistant', content: text, tool_calls: calls } : { role: 'assistant', content: text };
    return {
      ...envelope,
      object: 'chat.completion',
      choices: [{ index: 0, message, finish_reason: finish }],
      usage: { prompt_tokens: 21, completion_tokens: 7, total_tokens: 28 },
    };
  }

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        try {
          if (req.method !== 'POST' || req.url !== '/v1/responses')
            throw new GatewayError(404, 'invalid_request_error', 'not_found', req.url ?? '');
          const request = validateRequest(JSON.parse(raw));
          chatBodies.push(toChat(request).body);
          const first = typeof request.input === 'string' ? request.input : String((request.input[0] as any).content);
          const ctx = { model: request.model, request, stored: false };
          if (!request.stream) {
            res.writeHead(200, { 'content-type': 'application/json' });
            res.end(JSON.stringify(fromChatAnswer(chatCompletion(first), ctx, { input: 21, output: 7 })));
            return;
          }
          const stream = pivoted(new ResponsesStreamTranslator(ctx));
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          const bytes = Buffer.from(scenarios[first].stream);
          for (let i = 0; i < bytes.length; i += 3) res.write(stream.push(bytes.subarray(i, i + 3)));
          try {
            res.end(stream.end());
          } catch {
            res.end(stream.fail!(CUT));
          }
        } catch (err) {
          const e = err instanceof GatewayError ? err : new GatewayError(500, 'api_error', 'internal', String(err));
          res.writeHead(e.status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(e.toJSON()));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new OpenAI({ baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, apiKey: 'test-key', maxRetries: 0 });
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const weather = {
    type: 'function' as const,
    name: 'weather',
    description: 'Weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    strict: false,
  };

  it('responses.create: text, usage and the model asked for', async () => {
    const r = await client.responses.create({ model: 'gpt-5-codex', input: 'text' });
    expect(r.output_text).toBe('Héllo, wörld 🌍');
    expect(r.model).toBe('gpt-5-codex');
    expect(r.status).toBe('completed');
    expect(r.usage).toMatchObject({ input_tokens: 21, output_tokens: 7, total_tokens: 28 });
  });

  it('responses.create: a function tool round trip', async () => {
    const first = await client.responses.create({ model: 'gpt-5-codex', input: 'tools', tools: [weather] });
    const calls = first.output.filter((o) => o.type === 'function_call');
    expect(calls.map((c) => [c.call_id, c.name, JSON.parse(c.arguments)])).toEqual([
      ['call_paris', 'weather', { city: 'Paris' }],
      ['call_oslo', 'weather', { city: 'Oslo' }],
    ]);
    const outputs = calls.map((c) => ({
      type: 'function_call_output' as const,
      call_id: c.call_id,
      output: c.call_id === 'call_paris' ? '18C' : '9C',
    }));
    const second = await client.responses.create({
      model: 'gpt-5-codex',
      input: [{ role: 'user', content: 'text' }, ...(first.output as OpenAI.Responses.ResponseInputItem[]), ...outputs],
      tools: [weather],
    });
    expect(second.output_text).toBe('Héllo, wörld 🌍');
    expect(chatBodies.at(-1)!.messages).toEqual([
      { role: 'user', content: 'text' },
      {
        role: 'assistant',
        content: 'Let me check.',
        tool_calls: [
          { id: 'call_paris', type: 'function', function: { name: 'weather', arguments: '{"city": "Paris"}' } },
          { id: 'call_oslo', type: 'function', function: { name: 'weather', arguments: '{"city": "Oslo"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_paris', content: '18C' },
      { role: 'tool', tool_call_id: 'call_oslo', content: '9C' },
    ]);
  });

  it('responses.create: a 400 in OpenAI shape becomes the SDK exception with the field named', async () => {
    const err = await client.responses
      .create({
        model: 'gpt-5-codex',
        input: 'text',
        tools: [{ type: 'function', name: 'f', parameters: null, strict: null }],
        tool_choice: { type: 'web_search_preview' },
      })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.code).toBe('unsupported_value');
    expect(err.message).toContain("'tool_choice.type'");
  });

  it('responses.stream: text deltas and the final response', async () => {
    const stream = client.responses.stream({ model: 'gpt-5-codex', input: 'text' });
    const deltas: string[] = [];
    stream.on('response.output_text.delta', (e) => deltas.push(e.delta));
    const final = await stream.finalResponse();
    expect(deltas.join('')).toBe('Héllo, wörld 🌍');
    expect(final.output_text).toBe('Héllo, wörld 🌍');
    expect(final.usage).toMatchObject({ input_tokens: 21, input_tokens_details: { cached_tokens: 16 }, output_tokens: 7 });
  });

  it('responses.stream: function calls with streamed arguments', async () => {
    const stream = client.responses.stream({ model: 'gpt-5-codex', input: 'tools', tools: [weather] });
    const snapshots: string[] = [];
    stream.on('response.function_call_arguments.delta', (e) => snapshots.push(e.snapshot));
    const final = await stream.finalResponse();
    expect(snapshots.at(-1)).toBe('{"city": "Paris"}');
    const calls = final.output.filter((o) => o.type === 'function_call');
    expect(calls.map((c) => JSON.parse(c.arguments).city)).toEqual(['Paris', 'Oslo']);
    expect(final.output_text).toBe('Let me check.');
  });

  it('responses.stream and responses.create: a custom tool call (Codex apply_patch)', async () => {
    const tools = [{ type: 'custom' as const, name: 'apply_patch', description: 'Edit files' }];
    const final = await client.responses.stream({ model: 'gpt-5-codex', input: 'patch', tools }).finalResponse();
    expect(final.output).toMatchObject([{ type: 'custom_tool_call', call_id: 'call_patch', name: 'apply_patch', input: PATCH }]);
    const json = await client.responses.create({ model: 'gpt-5-codex', input: 'patch', tools });
    expect(json.output).toMatchObject([{ type: 'custom_tool_call', input: PATCH }]);
    // And handed back with its output, as Codex does on the next turn.
    const output = { type: 'custom_tool_call_output' as const, call_id: 'call_patch', output: 'Success. Updated: A hello.txt' };
    await client.responses.create({
      model: 'gpt-5-codex',
      input: [{ role: 'user', content: 'text' }, ...(json.output as OpenAI.Responses.ResponseInputItem[]), output],
      tools,
    });
    expect(chatBodies.at(-1)!.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_patch', type: 'function', function: { name: 'apply_patch', arguments: wrapped } }],
      },
      { role: 'tool', tool_call_id: 'call_patch', content: 'Success. Updated: A hello.txt' },
    ]);
  });

  it('responses.create with stream: every event typed, numbered in order', async () => {
    const seen: { type: string; sequence_number: number }[] = [];
    for await (const event of await client.responses.create({ model: 'gpt-5-codex', input: 'length', stream: true })) seen.push(event);
    expect(seen.map((e) => e.sequence_number)).toEqual(seen.map((_, i) => i));
    expect(seen.at(-1)).toMatchObject({ type: 'response.incomplete', response: { incomplete_details: { reason: 'max_output_tokens' } } });
  });

  it('a cut stream makes the SDK throw', async () => {
    const stream = client.responses.stream({ model: 'gpt-5-codex', input: 'cut', tools: [weather] });
    const failed: unknown[] = [];
    stream.on('response.failed', (e) => failed.push(e));
    const err = await stream.finalResponse().catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.message).toContain('dropped the connection');
    expect(failed).toHaveLength(1);
  });
});
