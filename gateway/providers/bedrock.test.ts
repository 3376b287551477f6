// Translation between the OpenAI chat format and Bedrock's Converse API: request, response and event-stream frames.
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { describe, expect, it } from 'vitest';
import { ConverseStream } from './bedrock-stream.ts';
import { toChatCompletion, toConverseRequest } from './bedrock-translate.ts';
import { chat, failureOf, translatedChunks } from '../../test/support/stream-translation.ts';

const user = (content: unknown) => ({ role: 'user', content });
const tools = [
  {
    type: 'function',
    function: { name: 'weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
  },
];
const call = { id: 'tooluse_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } };

describe('toConverseRequest', () => {
  it('lifts system messages, maps inference settings, and merges turns so that roles alternate', () => {
    const out = toConverseRequest(
      chat(
        {
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'developer', content: [{ type: 'text', text: 'No emojis.' }] },
            user('Weather in Oslo?'),
            { role: 'assistant', content: null, tool_calls: [call] },
            { role: 'tool', tool_call_id: 'tooluse_1', content: '{"c":4}' },
            user([
              { type: 'text', text: 'And this?' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBO' } },
            ]),
            { role: 'assistant', content: '' },
            user('Thanks'),
          ],
          tools,
          tool_choice: 'required',
          temperature: 0.2,
          top_p: 0.9,
          stop: 'END',
          user: 'u-1',
        },
        { maxTokens: 300 },
      ),
    );
    expect(out).toEqual({
      system: [{ text: 'Be brief.' }, { text: 'No emojis.' }],
      messages: [
        { role: 'user', content: [{ text: 'Weather in Oslo?' }] },
        { role: 'assistant', content: [{ toolUse: { toolUseId: 'tooluse_1', name: 'weather', input: { city: 'Oslo' } } }] },
        {
          role: 'user',
          content: [
            { toolResult: { toolUseId: 'tooluse_1', content: [{ text: '{"c":4}' }] } },
            { text: 'And this?' },
            { image: { format: 'png', source: { bytes: 'iVBO' } } },
            // The empty assistant turn is left out, and the user turns around it merge.
            { text: 'Thanks' },
          ],
        },
      ],
      inferenceConfig: { maxTokens: 300, temperature: 0.2, topP: 0.9, stopSequences: ['END'] },
      toolConfig: {
        tools: [{ toolSpec: { name: 'weather', description: 'Weather by city', inputSchema: { json: tools[0]!.function.parameters } } }],
        toolChoice: { any: {} },
      },
    });
  });

  it.each([
    ['auto', { auto: {} }],
    [{ type: 'function', function: { name: 'weather' } }, { tool: { name: 'weather' } }],
    [undefined, undefined],
  ])('maps tool_choice %j', (choice, expected) => {
    const out = toConverseRequest(chat({ messages: [user('x')], tools, tool_choice: choice })) as any;
    expect(out.toolConfig.toolChoice).toEqual(expected);
  });

  it('leaves the tools out for tool_choice none, which Converse cannot say once tools were called', () => {
    expect(toConverseRequest(chat({ messages: [user('x')], tools, tool_choice: 'none' }))).not.toHaveProperty('toolConfig');
    const called = [
      user('x'),
      { role: 'assistant', content: null, tool_calls: [call] },
      { role: 'tool', tool_call_id: 'tooluse_1', content: 'ok' },
    ];
    expect(() => toConverseRequest(chat({ messages: called, tools, tool_choice: 'none' }))).toThrow(/tool_choice "none"/);
  });

  it.each([
    [{ n: 2 }, 'n'],
    [{ seed: 7 }, 'seed'],
    [{ reasoning_effort: 'low' }, 'reasoning_effort'],
    [{ parallel_tool_calls: false }, 'parallel_tool_calls'],
    [{ logprobs: true }, 'logprobs'],
    [{ presence_penalty: 0.5 }, 'presence_penalty'],
  ])('refuses %j with a 400 naming the field', (extra, field) => {
    expect(() => toConverseRequest(chat({ messages: [user('x')], ...extra }))).toThrow(
      expect.objectContaining({ status: 400, code: 'unsupported_parameter', message: `${field} cannot be sent to a Bedrock model.` }),
    );
  });

  it('asks for response_format as a forced tool, whose input is the answer text', () => {
    const schema = { type: 'object', required: ['a'], properties: { a: { type: 'string' } } };
    const req = chat({ messages: [user('x')], response_format: { type: 'json_schema', json_schema: { name: 'review', schema } } });
    expect(toConverseRequest(req).toolConfig).toEqual({
      tools: [{ toolSpec: { name: 'review', description: 'Answer with JSON matching this schema.', inputSchema: { json: schema } } }],
      toolChoice: { tool: { name: 'review' } },
    });
    const answer = {
      output: { message: { content: [{ toolUse: { toolUseId: 't1', name: 'review', input: { a: 'ok' } } }] } },
      stopReason: 'tool_use',
    };
    expect(toChatCompletion(answer, 'm', 'review').choices[0]).toMatchObject({ message: { content: '{"a":"ok"}' }, finish_reason: 'stop' });
    expect(() => toConverseRequest({ ...req, stream: true })).toThrow(/response_format cannot be sent to a Bedrock model in a stream/);
  });

  it('accepts the default values of fields it cannot express', () => {
    expect(() =>
      toConverseRequest(
        chat({ messages: [user('x')], n: 1, parallel_tool_calls: true, response_format: { type: 'text' }, logprobs: false, seed: null }),
      ),
    ).not.toThrow();
  });

  it('refuses images given as links and unknown roles', () => {
    expect(() => toConverseRequest(chat({ messages: [user([{ type: 'image_url', image_url: { url: 'https://x/y.png' } }])] }))).toThrow(
      /data: URLs/,
    );
    expect(() => toConverseRequest(chat({ messages: [{ role: 'robot', content: 'x' }] }))).toThrow(/role must be/);
  });
});

describe('toChatCompletion', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['tool_use', 'tool_calls'],
    ['guardrail_intervened', 'content_filter'],
    ['content_filtered', 'content_filter'],
  ])('maps stopReason %s to finish_reason %s', (stopReason, finish) => {
    expect(
      toChatCompletion({ output: { message: { content: [{ text: 'x' }] } }, stopReason, usage: {} }, 'm').choices[0]!.finish_reason,
    ).toBe(finish);
  });

  it('turns text and toolUse blocks into a message, counting cache reads and writes in prompt_tokens', () => {
    const out = toChatCompletion(
      {
        output: {
          message: {
            role: 'assistant',
            content: [{ text: 'Checking.' }, { toolUse: { toolUseId: 'tooluse_1', name: 'weather', input: { city: 'Oslo' } } }],
          },
        },
        stopReason: 'tool_use',
        usage: { inputTokens: 10, outputTokens: 5, totalTokens: 22, cacheReadInputTokens: 4, cacheWriteInputTokens: 3 },
      },
      'anthropic.claude-3-5-haiku',
    );
    expect(out).toMatchObject({ object: 'chat.completion', model: 'anthropic.claude-3-5-haiku', id: expect.stringMatching(/^chatcmpl-/) });
    expect(out.choices[0]!.message).toEqual({
      role: 'assistant',
      content: 'Checking.',
      tool_calls: [{ id: 'tooluse_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }],
    });
    expect(out.usage).toEqual({ prompt_tokens: 17, completion_tokens: 5, total_tokens: 22, prompt_tokens_details: { cached_tokens: 4 } });
  });
});

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => new Uint8Array(Buffer.from(text, 'utf8')),
);
const frame = (messageType: 'event' | 'exception', type: string, payload: object) =>
  Buffer.from(
    codec.encode({
      headers: {
        [`:${messageType}-type`]: { type: 'string', value: type },
        ':content-type': { type: 'string', value: 'application/json' },
        ':message-type': { type: 'string', value: messageType },
      },
      body: new Uint8Array(Buffer.from(JSON.stringify(payload))),
    }),
  );

const EVENTS: [string, object][] = [
  ['messageStart', { role: 'assistant', p: 'a' }],
  ['contentBlockDelta', { delta: { text: 'Héllo ' }, contentBlockIndex: 0, p: 'abcdefgh' }],
  ['contentBlockStop', { contentBlockIndex: 0 }],
  ['contentBlockStart', { start: { toolUse: { toolUseId: 'tooluse_1', name: 'weather' } }, contentBlockIndex: 1 }],
  ['contentBlockDelta', { delta: { toolUse: { input: '{"city":' } }, contentBlockIndex: 1 }],
  ['contentBlockDelta', { delta: { toolUse: { input: '"Oslo"}' } }, contentBlockIndex: 1 }],
  ['contentBlockStop', { contentBlockIndex: 1 }],
  ['messageStop', { stopReason: 'tool_use' }],
  ['metadata', { usage: { inputTokens: 7, outputTokens: 12, totalTokens: 21, cacheReadInputTokens: 2 }, metrics: { latencyMs: 100 } }],
];
const wire = Buffer.concat(EVENTS.map(([type, payload]) => frame('event', type, payload)));

function translate(bytes: Buffer, chunkSize: number, includeUsage = true) {
  const stream = new ConverseStream(includeUsage, 'anthropic.claude-3-5-haiku');
  return { chunks: translatedChunks(stream, bytes, chunkSize), stream };
}
const timeless = (chunks: any[]) => chunks.map((c) => (typeof c === 'string' ? c : { ...c, created: 0, id: '' }));

describe('ConverseStream', () => {
  it('emits OpenAI chunks whatever the chunking, with tool argument deltas, usage and [DONE]', () => {
    const whole = translate(wire, wire.length);
    // 1, 3 and 7 bytes at a time: preludes, headers and multi-byte characters all cross chunk boundaries.
    for (const size of [1, 3, 7]) expect(timeless(translate(wire, size).chunks)).toEqual(timeless(whole.chunks));
    expect(whole.chunks.slice(0, -2).map((c) => c.choices[0].delta)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'Héllo ' },
      { tool_calls: [{ index: 0, id: 'tooluse_1', type: 'function', function: { name: 'weather', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '"Oslo"}' } }] },
      {},
    ]);
    expect(whole.chunks[5].choices[0].finish_reason).toBe('tool_calls');
    expect(whole.chunks[6]).toMatchObject({
      object: 'chat.completion.chunk',
      model: 'anthropic.claude-3-5-haiku',
      choices: [],
      usage: { prompt_tokens: 9, completion_tokens: 12, total_tokens: 21 },
    });
    expect(whole.chunks[7]).toBe('[DONE]');
    expect(new Set(whole.chunks.slice(0, -1).map((c) => c.id)).size).toBe(1);
    expect(whole.stream.usage).toEqual({ input: 9, output: 12 });
  });

  it('leaves the usage chunk out unless asked, but still counts usage', () => {
    const { chunks, stream } = translate(wire, 64, false);
    expect(chunks.some((c) => c.usage)).toBe(false);
    expect(stream.usage).toEqual({ input: 9, output: 12 });
  });

  it.each([
    ['throttlingException', 429],
    ['modelStreamErrorException', 424],
    ['validationException', 400],
    ['serviceUnavailableException', 503],
    ['internalServerException', 500],
  ])('raises a %s frame as HTTP %i', (type, status) => {
    const bytes = Buffer.concat([
      frame('event', 'messageStart', { role: 'assistant' }),
      frame('exception', type, { message: 'Too many tokens, please wait.' }),
    ]);
    const failure = failureOf(() => translate(bytes, 5));
    expect(failure).toMatchObject({ kind: 'status', status });
    expect(JSON.parse(failure.body)).toEqual({ error: { message: 'Too many tokens, please wait.', type } });
  });

  it('takes a stream cut before metadata, mid-frame, or damaged, for a reset', () => {
    const beforeMetadata = wire.subarray(0, wire.length - frame('event', 'metadata', EVENTS.at(-1)![1]).length);
    expect(failureOf(() => translate(beforeMetadata, 9))).toMatchObject({ kind: 'reset' });
    expect(failureOf(() => translate(wire.subarray(0, wire.length - 3), 9))).toMatchObject({ kind: 'reset' });
    const damaged = Buffer.from(wire);
    damaged[30] ^= 0xff;
    expect(failureOf(() => translate(damaged, 9))).toMatchObject({ kind: 'reset' });
  });
});
