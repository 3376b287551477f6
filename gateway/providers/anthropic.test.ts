// Translation between the OpenAI chat format and Anthropic's Messages API, request, response and stream.
import { describe, expect, it } from 'vitest';
import { testProvider } from '../../test/support/ir-fixture.ts';
import { anthropicAdapter } from './anthropic.ts';
import { AnthropicStream } from './anthropic-stream.ts';
import { toChatCompletion, toMessagesRequest } from './anthropic-translate.ts';
import { UpstreamFailure } from './upstream-errors.ts';
import { chat } from '../../test/support/stream-translation.ts';

describe('anthropicAdapter native messages', () => {
  const headersOf = (list: readonly string[]) =>
    Object.fromEntries(list.flatMap((v, i) => (i % 2 ? [] : [[v.toLowerCase(), list[i + 1]]])));
  const provider = testProvider('ant', {
    type: 'anthropic',
    baseUrl: 'https://api.anthropic.com',
    headers: { 'Anthropic-Beta': 'provider-beta', 'X-Team': 'core' },
  });

  it("sends the client's Anthropic headers in place of the provider's, whatever their case, and the credential once", () => {
    const native = anthropicAdapter(provider, 'sk-ant-test').native!.messages!;
    const sent = native('{}', { 'anthropic-version': '2024-01-01', 'anthropic-beta': 'client-beta' });
    expect(headersOf(sent.headers)).toEqual({
      host: 'api.anthropic.com',
      'anthropic-beta': 'client-beta',
      'x-team': 'core',
      'content-type': 'application/json',
      'anthropic-version': '2024-01-01',
      'x-api-key': 'sk-ant-test',
      'content-length': '2',
    });
    expect(sent.headers.length).toBe(14);
    // Without client headers, the provider's own; a call's headers never leak into the next one.
    expect(headersOf(native('{}', {}).headers)).toMatchObject({ 'anthropic-beta': 'provider-beta', 'anthropic-version': '2023-06-01' });
  });
});

describe('toMessagesRequest', () => {
  it('lifts system and developer messages, merges consecutive turns and maps the sampling options', () => {
    const out = toMessagesRequest(
      chat(
        {
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'developer', content: [{ type: 'text', text: 'No emojis.' }] },
            { role: 'user', content: 'Hi' },
            {
              role: 'user',
              content: [
                { type: 'text', text: 'Look:' },
                { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
              ],
            },
          ],
          stop: ['END', 'STOP'],
          temperature: 0.5,
          top_p: 0.9,
          user: 'u-1',
          presence_penalty: 0,
        },
        { maxTokens: 300, stream: true },
      ),
      'claude-x',
    );
    expect(out).toEqual({
      model: 'claude-x',
      max_tokens: 300,
      system: 'Be brief.\n\nNo emojis.',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Hi' },
            { type: 'text', text: 'Look:' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
          ],
        },
      ],
      stop_sequences: ['END', 'STOP'],
      temperature: 0.5,
      top_p: 0.9,
      metadata: { user_id: 'u-1' },
      stream: true,
    });
  });

  it('defaults max_tokens, which Anthropic requires', () => {
    expect(toMessagesRequest(chat({ messages: [{ role: 'user', content: 'x' }] }), 'm').max_tokens).toBe(1024);
  });

  it('maps tool choices', () => {
    const tools = [{ type: 'function', function: { name: 'f' } }];
    const choice = (tool_choice: unknown, parallel_tool_calls?: boolean) =>
      toMessagesRequest(chat({ messages: [{ role: 'user', content: 'x' }], tools, tool_choice, parallel_tool_calls }), 'm').tool_choice;
    expect(choice('auto')).toEqual({ type: 'auto' });
    expect(choice('none')).toEqual({ type: 'none' });
    expect(choice('required')).toEqual({ type: 'any' });
    expect(choice({ type: 'function', function: { name: 'f' } })).toEqual({ type: 'tool', name: 'f' });
    expect(choice(undefined, false)).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(toMessagesRequest(chat({ messages: [{ role: 'user', content: 'x' }], tools }), 'm').tools).toEqual([
      { name: 'f', input_schema: { type: 'object', properties: {} } },
    ]);
  });

  it('refuses what cannot be expressed with a 400', () => {
    expect(() => toMessagesRequest(chat({ messages: [{ role: 'robot', content: 'x' }] }), 'm')).toThrow(
      expect.objectContaining({ status: 400 }),
    );
    const badArgs = {
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{oops' } }],
    };
    expect(() => toMessagesRequest(chat({ messages: [{ role: 'user', content: 'x' }, badArgs] }), 'm')).toThrow(/not valid JSON/);
    expect(() => toMessagesRequest(chat({ messages: [{ role: 'user', content: 'x' }], n: 2 }), 'm')).toThrow(
      'n cannot be sent to an Anthropic model.',
    );
  });

  it('refuses parameters Anthropic cannot honour, naming them, and lets their no-op values pass', () => {
    const refusal = (extra: Record<string, unknown>) => {
      try {
        toMessagesRequest(chat({ messages: [{ role: 'user', content: 'x' }], ...extra }), 'm');
        return 'accepted';
      } catch (err: any) {
        return `${err.status} ${err.code} ${err.param}`;
      }
    };
    expect(refusal({ seed: 7 })).toBe('400 unsupported_parameter seed');
    expect(refusal({ logprobs: true })).toBe('400 unsupported_parameter logprobs');
    expect(refusal({ top_logprobs: 3 })).toBe('400 unsupported_parameter top_logprobs');
    expect(refusal({ frequency_penalty: 0.5 })).toBe('400 unsupported_parameter frequency_penalty');
    expect(refusal({ presence_penalty: -1 })).toBe('400 unsupported_parameter presence_penalty');
    expect(refusal({ logit_bias: { '50256': -100 } })).toBe('400 unsupported_parameter logit_bias');
    expect(refusal({ reasoning_effort: 'extreme' })).toBe('400 unsupported_parameter reasoning_effort');
    expect(refusal({ response_format: { type: 'json_schema', json_schema: { name: 'x' } } })).toBe(
      '400 unsupported_parameter response_format',
    );
    expect(
      refusal({
        logprobs: false,
        frequency_penalty: 0,
        presence_penalty: 0,
        seed: null,
        logit_bias: {},
        n: 1,
        response_format: { type: 'text' },
      }),
    ).toBe('accepted');
  });

  it('drops empty assistant turns and empty text, which Anthropic refuses', () => {
    const out = toMessagesRequest(
      chat({
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: '' },
          {
            role: 'user',
            content: [
              { type: 'text', text: '' },
              { type: 'text', text: 'b' },
            ],
          },
        ],
      }),
      'm',
    );
    expect(out.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      },
    ]);
  });

  it('turns reasoning_effort into a thinking budget within max tokens', () => {
    const user = [{ role: 'user', content: 'x' }];
    expect(toMessagesRequest(chat({ messages: user, reasoning_effort: 'medium' }), 'm')).toMatchObject({
      max_tokens: 4096 + 1024,
      thinking: { type: 'enabled', budget_tokens: 4096 },
    });
    expect(toMessagesRequest(chat({ messages: user, reasoning_effort: 'high' }, { maxTokens: 8000 }), 'm')).toMatchObject({
      max_tokens: 8000,
      thinking: { budget_tokens: 7999 },
    });
    expect(toMessagesRequest(chat({ messages: user, reasoning_effort: 'minimal' }), 'm').thinking).toBeUndefined();
    expect(() => toMessagesRequest(chat({ messages: user, reasoning_effort: 'low' }, { maxTokens: 1000 }), 'm')).toThrow(
      /needs more than 1024 max tokens/,
    );
  });

  it('forces a tool for response_format and reads its input back as the answer text', () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    const req = chat({
      messages: [{ role: 'user', content: 'x' }],
      response_format: { type: 'json_schema', json_schema: { name: 'place', schema } },
    });
    const out = toMessagesRequest(req, 'm');
    expect(out.tools).toEqual([{ name: 'place', description: 'Answer with JSON matching this schema.', input_schema: schema }]);
    expect(out.tool_choice).toEqual({ type: 'tool', name: 'place' });
    const answer = toChatCompletion(
      { id: 'msg_1', content: [{ type: 'tool_use', id: 't', name: 'place', input: { city: 'Oslo' } }], stop_reason: 'tool_use', usage: {} },
      req,
    );
    expect(answer.choices[0]).toMatchObject({ message: { content: '{"city":"Oslo"}' }, finish_reason: 'stop' });
    expect(answer.choices[0].message).not.toHaveProperty('tool_calls');
    const withTools = chat({ ...req.body, tools: [{ type: 'function', function: { name: 'f' } }] });
    expect(() => toMessagesRequest(withTools, 'm')).toThrow('response_format cannot be combined with tools');
  });
});

describe('toChatCompletion', () => {
  it('turns text and tool_use blocks into a message with tool calls, and counts cached prompt tokens', () => {
    const out = toChatCompletion(
      {
        id: 'msg_1',
        model: 'claude-x',
        content: [
          { type: 'text', text: 'Let me check.' },
          { type: 'tool_use', id: 'toolu_1', name: 'f', input: { a: 1 } },
        ],
        stop_reason: 'tool_use',
        usage: { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 2, cache_read_input_tokens: 3 },
      },
      chat({}),
    );
    expect(out.choices[0]).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: 'Let me check.',
        tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
      },
      logprobs: null,
      finish_reason: 'tool_calls',
    });
    expect(out.usage).toEqual({ prompt_tokens: 15, completion_tokens: 5, total_tokens: 20, prompt_tokens_details: { cached_tokens: 3 } });
    expect(toChatCompletion({ content: [], stop_reason: 'max_tokens', usage: {} }, chat({})).choices[0].finish_reason).toBe('length');
  });
});

const EVENTS = [
  ['message_start', { type: 'message_start', message: { id: 'msg_1', model: 'claude-x', usage: { input_tokens: 7, output_tokens: 1 } } }],
  ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
  ['ping', { type: 'ping' }],
  ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Héllo' } }],
  ['content_block_stop', { type: 'content_block_stop', index: 0 }],
  [
    'content_block_start',
    { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} } },
  ],
  ['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"a":' } }],
  ['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '1}' } }],
  ['message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 12 } }],
  ['message_stop', { type: 'message_stop' }],
] as const;
const wire = Buffer.from(EVENTS.map(([e, d]) => `event: ${e}\ndata: ${JSON.stringify(d)}\n\n`).join(''));

function translate(chunkSize: number, includeUsage: boolean): { chunks: any[]; stream: AnthropicStream } {
  const stream = new AnthropicStream(includeUsage, chat({}));
  let text = '';
  for (let i = 0; i < wire.length; i += chunkSize) text += stream.push(wire.subarray(i, i + chunkSize));
  text += stream.end();
  const chunks = text
    .split('\n\n')
    .filter(Boolean)
    .map((e) => e.slice('data: '.length))
    .map((d) => (d === '[DONE]' ? d : JSON.parse(d)));
  return { chunks, stream };
}

describe('AnthropicStream', () => {
  it('emits OpenAI chunks, whatever the chunking of the bytes, ending with usage and [DONE]', () => {
    const whole = translate(wire.length, true);
    // Split every 5 bytes: events and multi-byte characters cross chunk boundaries.
    expect(translate(5, true).chunks.map((c) => (typeof c === 'string' ? c : { ...c, created: 0 }))).toEqual(
      whole.chunks.map((c) => (typeof c === 'string' ? c : { ...c, created: 0 })),
    );
    const deltas = whole.chunks.slice(0, -2).map((c) => c.choices[0].delta);
    expect(deltas).toEqual([
      { role: 'assistant', content: '' },
      { content: 'Héllo' },
      { tool_calls: [{ index: 0, id: 'toolu_1', type: 'function', function: { name: 'f', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '1}' } }] },
      {},
    ]);
    expect(whole.chunks[5].choices[0].finish_reason).toBe('tool_calls');
    expect(whole.chunks[6]).toMatchObject({
      object: 'chat.completion.chunk',
      id: 'msg_1',
      model: 'claude-x',
      choices: [],
      usage: { prompt_tokens: 7, completion_tokens: 12, total_tokens: 19 },
    });
    expect(whole.chunks[7]).toBe('[DONE]');
    expect(whole.stream.usage).toEqual({ input: 7, output: 12 });
  });

  it('leaves the usage chunk out unless asked, but still counts usage', () => {
    const { chunks, stream } = translate(64, false);
    expect(chunks.some((c) => c.usage)).toBe(false);
    expect(stream.usage).toEqual({ input: 7, output: 12 });
  });

  it('raises an error event as the status Anthropic would have answered', () => {
    const stream = new AnthropicStream(false, chat({}));
    const error = Buffer.from('event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n');
    let thrown: unknown;
    try {
      stream.push(error);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(UpstreamFailure);
    expect(thrown).toMatchObject({ kind: 'status', status: 529 });
  });
});
