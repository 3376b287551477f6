// Messages <-> chat translation: the request (what maps, what is refused by name), the answer and the events.
import { describe, expect, it } from 'vitest';
import type { IRProvider } from '../../../compiler/ir/types.ts';
import type { Candidate } from '../../routing.ts';
import type { Body } from '../api.ts';
import { MessageEvents } from './chat-events.ts';
import { toMessage } from './from-chat.ts';
import type { MessagesRequest } from './request.ts';
import { toChat } from './to-chat.ts';

const candidate = (type: IRProvider['type'], reasoning: boolean) =>
  ({
    provider: { ir: { name: 'oai', type } },
    model: { name: 'gpt-4o-mini', ...(reasoning ? { reasoning: true } : {}) },
  }) as unknown as Candidate;
const request = (body: Body, stream = false): MessagesRequest => ({
  body: { model: 'r', max_tokens: 100, ...body },
  raw: Buffer.alloc(0),
  stream,
  maxTokens: 100,
  edited: false,
});
const chatOf = (body: Body, type: IRProvider['type'] = 'openai', reasoning = false) =>
  toChat(request(body), candidate(type, reasoning)).body;
const reasoner = (body: Body) => chatOf(body, 'openai', true);
const refusal = (body: Body, type?: IRProvider['type']) => {
  try {
    chatOf(body, type);
    return 'accepted';
  } catch (err: any) {
    return `${err.status} ${err.param}`;
  }
};

describe('toChat', () => {
  it('maps system blocks, text, images, documents, tool use and tool results, ids and arguments intact', () => {
    const body = chatOf({
      system: [
        { type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral' } },
        { type: 'text', text: 'Answer in French.' },
      ],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Look:' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
            { type: 'image', source: { type: 'url', url: 'https://x.test/a.png' } },
            { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Notes.' }, title: 'notes' },
            { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBE' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'hmm', signature: 'sig' },
            { type: 'text', text: 'Checking.' },
            { type: 'tool_use', id: 'toolu_1', name: 'weather', input: { city: 'Paris', days: [1, 2] } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'sunny' }] },
            { type: 'tool_result', tool_use_id: 'toolu_2', content: 'no such city', is_error: true },
            { type: 'text', text: 'And tomorrow?' },
          ],
        },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'system', content: 'You are terse.\n\nAnswer in French.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look:' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
          { type: 'image_url', image_url: { url: 'https://x.test/a.png' } },
          { type: 'text', text: 'notes\n\nNotes.' },
          { type: 'file', file: { filename: 'document.pdf', file_data: 'data:application/pdf;base64,JVBE' } },
        ],
      },
      {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris","days":[1,2]}' } }],
      },
      { role: 'tool', tool_call_id: 'toolu_1', content: 'sunny' },
      { role: 'tool', tool_call_id: 'toolu_2', content: 'Error: no such city' },
      { role: 'user', content: 'And tomorrow?' },
    ]);
  });

  it('maps sampling, stops, user, tools and every tool choice', () => {
    const tools = [
      {
        name: 'weather',
        description: 'Weather',
        input_schema: { type: 'object', properties: { city: { type: 'string' } } },
        cache_control: { type: 'ephemeral' },
      },
    ];
    const body = chatOf({
      messages: [{ role: 'user', content: 'x' }],
      temperature: 0.2,
      top_p: 0.9,
      stop_sequences: ['END'],
      metadata: { user_id: 'u-1' },
      tools,
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
    });
    expect(body).toMatchObject({
      temperature: 0.2,
      top_p: 0.9,
      stop: ['END'],
      user: 'u-1',
      tool_choice: 'required',
      parallel_tool_calls: false,
    });
    expect(body.tools).toEqual([
      { type: 'function', function: { name: 'weather', description: 'Weather', parameters: tools[0].input_schema } },
    ]);
    const choice = (tool_choice: Body) => chatOf({ messages: [{ role: 'user', content: 'x' }], tools, tool_choice }).tool_choice;
    expect(choice({ type: 'auto' })).toBe('auto');
    expect(choice({ type: 'none' })).toBe('none');
    expect(choice({ type: 'tool', name: 'weather' })).toEqual({ type: 'function', function: { name: 'weather' } });
  });

  it('turns thinking budgets and output_config into reasoning_effort for reasoning models, and response_format', () => {
    const user = [{ role: 'user', content: 'x' }];
    expect(reasoner({ messages: user, thinking: { type: 'enabled', budget_tokens: 2000 } }).reasoning_effort).toBe('low');
    expect(reasoner({ messages: user, thinking: { type: 'enabled', budget_tokens: 10000 } }).reasoning_effort).toBe('medium');
    expect(
      chatOf({ messages: user, thinking: { type: 'enabled', budget_tokens: 32000, display: 'omitted' } }, 'openai-compatible', true)
        .reasoning_effort,
    ).toBe('high');
    expect(reasoner({ messages: user, thinking: { type: 'disabled' } })).not.toHaveProperty('reasoning_effort');
    // A model without reasoning answers without it: OpenAI would refuse reasoning_effort.
    expect(chatOf({ messages: user, thinking: { type: 'enabled', budget_tokens: 32000 } })).not.toHaveProperty('reasoning_effort');
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    expect(reasoner({ messages: user, output_config: { effort: 'high', format: { type: 'json_schema', schema } } })).toMatchObject({
      reasoning_effort: 'high',
      response_format: { type: 'json_schema', json_schema: { name: 'output', schema, strict: true } },
    });
    expect(refusal({ messages: user, thinking: { type: 'enabled', budget_tokens: 2000, extra: 1 } })).toBe('400 thinking.extra');
  });

  it('takes what Claude Code sends: clear-thinking context edits, deferred tools left out', () => {
    const tools = [
      { name: 'Read', description: 'Read a file', input_schema: { type: 'object' } },
      { name: 'DeferredToolPlaceholder', description: 'never call', input_schema: { type: 'object' }, defer_loading: true },
    ];
    const body = chatOf({
      messages: [{ role: 'user', content: 'x' }],
      tools,
      context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
    });
    expect(body.tools.map((t: Body) => t.function.name)).toEqual(['Read']);
    expect(body).not.toHaveProperty('context_management');
    expect(
      refusal({ messages: [{ role: 'user', content: 'x' }], context_management: { edits: [{ type: 'clear_tool_uses_20250919' }] } }),
    ).toBe('400 context_management.edits.0.type');
    expect(refusal({ messages: [{ role: 'user', content: 'x' }], tools: [tools[1]], tool_choice: { type: 'any' } })).toBe(
      '400 tool_choice',
    );
  });

  it('refuses, naming the field, what chat cannot express', () => {
    const user = [{ role: 'user', content: 'x' }];
    expect(refusal({ messages: user, top_k: 5 })).toBe('400 top_k');
    expect(refusal({ messages: user, top_k: null })).toBe('accepted');
    expect(refusal({ messages: user, container: 'c_1' })).toBe('400 container');
    expect(refusal({ messages: user, tools: [{ type: 'web_search_20250305', name: 'web_search' }] })).toBe('400 tools.0.type');
    expect(refusal({ messages: user, tools: [{ name: 'f', input_schema: {}, input_examples: [{}] }] })).toBe('400 tools.0.input_examples');
    expect(refusal({ messages: user, stop_sequences: ['a', 'b', 'c', 'd', 'e'] })).toBe('400 stop_sequences');
    expect(refusal({ messages: user, stop_sequences: ['a', 'b', 'c', 'd', 'e'] }, 'openai-compatible')).toBe('accepted');
    const block = (b: Body) => refusal({ messages: [{ role: 'user', content: [b] }] });
    expect(block({ type: 'document', source: { type: 'url', url: 'https://x.test/a.pdf' } })).toBe('400 messages.0.content.0.source');
    expect(
      refusal(
        {
          messages: [
            { role: 'user', content: [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'x' } }] },
          ],
        },
        'openai-compatible',
      ),
    ).toBe('400 messages.0.content.0.source');
    expect(block({ type: 'image', source: { type: 'file', file_id: 'f_1' } })).toBe('400 messages.0.content.0.source.type');
    expect(block({ type: 'search_result', source: 's', title: 't', content: [] })).toBe('400 messages.0.content.0.type');
    expect(
      block({
        type: 'tool_result',
        tool_use_id: 't',
        content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'A' } }],
      }),
    ).toBe('400 messages.0.content.0.content.0.type');
    expect(
      refusal({ messages: [{ role: 'assistant', content: [{ type: 'server_tool_use', id: 's', name: 'web_search', input: {} }] }] }),
    ).toBe('400 messages.0.content.0.type');
  });

  it('keeps system turns within the messages where they are, and refuses roles chat has not', () => {
    const body = chatOf({
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'x' },
        { role: 'system', content: [{ type: 'text', text: '# Environment', cache_control: { type: 'ephemeral' } }] },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'x' },
      { role: 'system', content: '# Environment' },
    ]);
    expect(refusal({ messages: [{ role: 'robot', content: 'x' }] })).toBe('400 messages.0.role');
    expect(refusal({ messages: [{ role: 'system', content: [{ type: 'image', source: {} }] }] })).toBe('400 messages.0.content.0.type');
  });

  it('leaves out assistant turns that only thought, which chat providers would refuse as empty', () => {
    const body = chatOf({
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 't', signature: 's' }] },
        { role: 'user', content: 'y' },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'user', content: 'x' },
      { role: 'user', content: 'y' },
    ]);
  });
});

describe('toMessage', () => {
  it('makes text and tool_use blocks, the stop reason and Anthropic usage (cached tokens apart)', () => {
    const completion = {
      id: 'chatcmpl-1',
      choices: [
        {
          message: {
            role: 'assistant',
            content: 'On it.',
            tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }],
          },
          finish_reason: 'tool_calls',
        },
      ],
    };
    expect(toMessage(completion, { input: 50, output: 7, cacheRead: 40 }, 'asked', undefined)).toEqual({
      id: 'msg_chatcmpl-1',
      type: 'message',
      role: 'assistant',
      model: 'asked',
      content: [
        { type: 'text', text: 'On it.' },
        { type: 'tool_use', id: 'call_1', name: 'weather', input: { city: 'Oslo' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 7, cache_creation_input_tokens: 0, cache_read_input_tokens: 40 },
    });
    const stop = (choice: Body, stops?: string[]) => {
      const m = toMessage({ choices: [{ message: { content: 'x' }, ...choice }] }, { input: 1, output: 1 }, 'm', stops);
      return [m.stop_reason, m.stop_sequence];
    };
    expect(stop({ finish_reason: 'length' })).toEqual(['max_tokens', null]);
    expect(stop({ finish_reason: 'stop' })).toEqual(['end_turn', null]);
    expect(stop({ finish_reason: 'stop', stop_reason: 'END' }, ['END'])).toEqual(['stop_sequence', 'END']);
    expect(stop({ finish_reason: 'content_filter' })).toEqual(['refusal', null]);
  });
});

describe('MessageEvents', () => {
  const parse = (sse: string) =>
    sse
      .split('\n\n')
      .filter(Boolean)
      .map((e) => {
        const [event, data] = e.split('\n');
        return { event: event.slice('event: '.length), data: JSON.parse(data.slice('data: '.length)) };
      });
  const chunk = (delta: Body, finish: string | null = null) => ({
    id: 'chatcmpl-9',
    choices: [{ index: 0, delta, finish_reason: finish }],
  });

  it('synthesizes the Messages event sequence from text and tool-call chunks', () => {
    const sink = new MessageEvents('asked', undefined);
    let sse = sink.chunk(chunk({ role: 'assistant', content: '' }));
    sse += sink.chunk(chunk({ content: 'Let me ' }));
    sse += sink.chunk(chunk({ content: 'check.' }));
    sse += sink.chunk(chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'weather', arguments: '' } }] }));
    sse += sink.chunk(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }));
    sse += sink.chunk(chunk({ tool_calls: [{ index: 0, function: { arguments: '"Oslo"}' } }] }));
    sse += sink.chunk(chunk({ tool_calls: [{ index: 1, id: 'call_2', type: 'function', function: { name: 'time', arguments: '{}' } }] }));
    sse += sink.chunk(chunk({}, 'tool_calls'));
    sse += sink.chunk({ id: 'chatcmpl-9', choices: [], usage: { prompt_tokens: 9, completion_tokens: 4 } });
    sse += sink.end({ input: 9, output: 4 });
    const events = parse(sse);
    expect(events.map((e) => e.event)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events.every((e) => e.data.type === e.event)).toBe(true);
    expect(events[0].data.message).toMatchObject({ id: 'msg_chatcmpl-9', model: 'asked', role: 'assistant', content: [] });
    expect(events[2].data).toEqual({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    expect(events[3].data.delta).toEqual({ type: 'text_delta', text: 'Let me ' });
    expect(events[6].data).toEqual({
      type: 'content_block_start',
      index: 1,
      content_block: { type: 'tool_use', id: 'call_1', name: 'weather', input: {} },
    });
    expect(events.slice(7, 9).map((e) => e.data.delta)).toEqual([
      { type: 'input_json_delta', partial_json: '{"city":' },
      { type: 'input_json_delta', partial_json: '"Oslo"}' },
    ]);
    expect(events[10].data.index).toBe(2);
    expect(events[13].data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { input_tokens: 9, output_tokens: 4, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
  });

  it('closes an empty answer properly, and refuses tool calls whose arguments interleave', () => {
    const empty = parse(new MessageEvents('m', undefined).end({ input: 1, output: 0 }));
    expect(empty.map((e) => e.event)).toEqual(['message_start', 'ping', 'message_delta', 'message_stop']);
    const sink = new MessageEvents('m', undefined);
    sink.chunk(chunk({ tool_calls: [{ index: 0, id: 'a', function: { name: 'f', arguments: '{' } }] }));
    sink.chunk(chunk({ tool_calls: [{ index: 1, id: 'b', function: { name: 'g', arguments: '{' } }] }));
    expect(() => sink.chunk(chunk({ tool_calls: [{ index: 0, function: { arguments: '}' } }] }))).toThrow();
  });
});
