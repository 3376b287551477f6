import { describe, expect, it } from 'vitest';
import { fromChatAnswer } from './from-chat.ts';
import { validateRequest } from './request.ts';
import { flatName } from './response.ts';

const ctx = (fields: Record<string, unknown> = {}, stored = false) => ({
  model: 'claude-sonnet-4-5',
  request: validateRequest({ model: 'claude-sonnet-4-5', input: 'hi', ...fields }),
  stored,
});

const completion = (message: Record<string, unknown>, finish: string) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1700000000,
  model: 'provider-model-name',
  choices: [{ index: 0, message: { role: 'assistant', ...message }, logprobs: null, finish_reason: finish }],
});
/** The usage the adapter read from the answer. */
const USAGE = { input: 12, output: 5, cacheRead: 8 };
const translated = (chat: unknown, context = ctx()) => fromChatAnswer(chat, context, USAGE);

describe('fromChatAnswer', () => {
  it('makes a text answer one completed message, with usage and the model the client asked for', () => {
    const r = translated(completion({ content: 'Hello!' }, 'stop'), ctx());
    expect(r).toMatchObject({
      object: 'response',
      status: 'completed',
      model: 'claude-sonnet-4-5',
      error: null,
      incomplete_details: null,
      output: [
        { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Hello!', annotations: [] }] },
      ],
      usage: {
        input_tokens: 12,
        input_tokens_details: { cached_tokens: 8 },
        output_tokens: 5,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 17,
      },
    });
    expect(r.id).toMatch(/^resp_[0-9a-f]{48}$/);
    expect((r.output[0] as { id: string }).id).toMatch(/^msg_[0-9a-f]{48}$/);
    expect(r.created_at).toBeCloseTo(Date.now() / 1000, -1);
    expect(r.completed_at).toBeGreaterThanOrEqual(r.created_at);
  });

  it('makes tool calls function_call items that keep the call ids and arguments', () => {
    const calls = [
      { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
      { id: 'toolu_2', type: 'function', function: { name: 'time', arguments: '{}' } },
    ];
    const r = translated(completion({ content: 'Checking.', tool_calls: calls }, 'tool_calls'), ctx());
    expect(r.status).toBe('completed');
    expect(r.output).toMatchObject([
      { type: 'message', content: [{ type: 'output_text', text: 'Checking.' }] },
      { type: 'function_call', status: 'completed', call_id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call', status: 'completed', call_id: 'toolu_2', name: 'time', arguments: '{}' },
    ]);
    expect((r.output[1] as { id: string }).id).toMatch(/^fc_/);
    // Calls without text make no message item.
    expect(translated(completion({ content: null, tool_calls: calls }, 'tool_calls'), ctx()).output.map((o) => o.type)).toEqual([
      'function_call',
      'function_call',
    ]);
  });

  it("makes a custom tool's call a custom_tool_call item with the text unwrapped", () => {
    const tools = [
      { type: 'custom', name: 'apply_patch' },
      { type: 'function', name: 'shell' },
    ];
    const calls = [
      { id: 'call_1', type: 'function', function: { name: 'apply_patch', arguments: '{"input":"*** Begin Patch\\n*** End Patch"}' } },
      { id: 'call_2', type: 'function', function: { name: 'apply_patch', arguments: 'not the wrapper' } },
      { id: 'call_3', type: 'function', function: { name: 'shell', arguments: '{"input":"ls"}' } },
    ];
    const r = translated(completion({ content: null, tool_calls: calls }, 'tool_calls'), ctx({ tools }));
    expect(r.output).toEqual([
      {
        id: expect.stringMatching(/^ctc_/),
        type: 'custom_tool_call',
        call_id: 'call_1',
        name: 'apply_patch',
        input: '*** Begin Patch\n*** End Patch',
      },
      { id: expect.stringMatching(/^ctc_/), type: 'custom_tool_call', call_id: 'call_2', name: 'apply_patch', input: 'not the wrapper' },
      {
        id: expect.stringMatching(/^fc_/),
        type: 'function_call',
        status: 'completed',
        call_id: 'call_3',
        name: 'shell',
        arguments: '{"input":"ls"}',
      },
    ]);
  });

  it('makes an answer cut by the token limit incomplete', () => {
    const r = translated(completion({ content: 'Once upon a' }, 'length'), ctx());
    expect(r).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, completed_at: null });
    expect(r.output[0]).toMatchObject({ status: 'incomplete' });
    expect(translated(completion({ content: '' }, 'content_filter'), ctx()).incomplete_details).toEqual({ reason: 'content_filter' });
  });

  it('keeps a refusal as a refusal part, and an empty answer as an empty message', () => {
    expect(translated(completion({ content: null, refusal: 'I cannot.' }, 'stop'), ctx()).output[0]).toMatchObject({
      content: [{ type: 'refusal', refusal: 'I cannot.' }],
    });
    expect(translated(completion({ content: '' }, 'stop'), ctx()).output).toMatchObject([
      { type: 'message', content: [{ type: 'output_text', text: '' }] },
    ]);
  });

  it('echoes the request settings with OpenAI defaults', () => {
    const tools = [{ type: 'function', name: 'f', parameters: { type: 'object' }, strict: false }];
    const fields = {
      instructions: 'be brief',
      tools,
      tool_choice: 'required',
      temperature: 0.3,
      max_output_tokens: 100,
      metadata: { k: 'v' },
      previous_response_id: 'resp_abc',
      reasoning: { effort: 'low' },
    };
    expect(translated(completion({ content: 'x' }, 'stop'), ctx(fields, true))).toMatchObject({
      ...fields,
      reasoning: { effort: 'low', summary: null },
      store: true,
      top_p: 1,
      parallel_tool_calls: true,
    });
    expect(translated(completion({ content: 'x' }, 'stop'), ctx())).toMatchObject({
      instructions: null,
      tools: [],
      tool_choice: 'auto',
      text: { format: { type: 'text' } },
      temperature: 1,
      top_p: 1,
      metadata: {},
      previous_response_id: null,
      store: false,
      truncation: 'disabled',
    });
  });

  it('counts the tokens the adapter read, and throws on an answer without a choice', () => {
    expect(translated({ choices: [{ message: { content: 'x' }, finish_reason: 'stop' }] }).usage).toEqual({
      input_tokens: 12,
      input_tokens_details: { cached_tokens: 8 },
      output_tokens: 5,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 17,
    });
    expect(() => translated({ choices: [] })).toThrow();
    expect(() => translated(null)).toThrow();
  });

  it("names a namespace's tool as the namespace does, with its namespace (Codex multi_agent_v1)", () => {
    const long = 'n'.repeat(60);
    const tools = [
      { type: 'namespace', name: 'multi_agent_v1', description: 'Agents', tools: [{ type: 'function', name: 'spawn_agent' }] },
      { type: 'namespace', name: long, description: 'Long', tools: [{ type: 'custom', name: 'write' }] },
    ];
    const calls = [
      { id: 'call_1', type: 'function', function: { name: 'multi_agent_v1__spawn_agent', arguments: '{"task":"x"}' } },
      { id: 'call_2', type: 'function', function: { name: flatName(long, 'write'), arguments: '{"input":"text"}' } },
    ];
    expect(flatName(long, 'write')).toHaveLength(64);
    expect(translated(completion({ content: null, tool_calls: calls }, 'tool_calls'), ctx({ tools })).output).toEqual([
      {
        id: expect.stringMatching(/^fc_/),
        type: 'function_call',
        status: 'completed',
        arguments: '{"task":"x"}',
        call_id: 'call_1',
        name: 'spawn_agent',
        namespace: 'multi_agent_v1',
      },
      { id: expect.stringMatching(/^ctc_/), type: 'custom_tool_call', call_id: 'call_2', name: 'write', namespace: long, input: 'text' },
    ]);
  });
});
