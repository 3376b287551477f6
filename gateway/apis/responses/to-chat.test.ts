import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../errors.ts';
import { validateRequest } from './request.ts';
import { toChat } from './to-chat.ts';

const translate = (body: Record<string, unknown>, history?: Record<string, unknown>[], model = {}) =>
  toChat(validateRequest({ model: 'gpt-5-codex', ...body }), history, model);

/** The 400 a body gets, as `[code, message]`. */
function refusal(body: unknown, history?: Record<string, unknown>[]): [string, string] {
  try {
    toChat(validateRequest(body), history);
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayError);
    const e = err as GatewayError;
    expect(e.status).toBe(400);
    expect(e.toJSON().error.type).toBe('invalid_request_error');
    return [e.code, e.message];
  }
  throw new Error('no error');
}

describe('toChat: input items', () => {
  it.each([
    ['a string', 'hi', [{ role: 'user', content: 'hi' }]],
    ['an easy message without type', [{ role: 'user', content: 'hi' }], [{ role: 'user', content: 'hi' }]],
    [
      'system and developer messages with text parts (developer as system: chat-only servers may not know it)',
      [
        { type: 'message', role: 'system', content: [{ type: 'input_text', text: 'be terse' }] },
        { type: 'message', role: 'developer', content: 'use tools' },
      ],
      [
        { role: 'system', content: [{ type: 'text', text: 'be terse' }] },
        { role: 'system', content: 'use tools' },
      ],
    ],
    [
      'user text, image by URL (with detail) and file data',
      [
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'what is this?' },
            { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'low' },
            { type: 'input_image', image_url: 'https://example.com/a.png' },
            { type: 'input_file', filename: 'a.pdf', file_data: 'data:application/pdf;base64,AAAA' },
          ],
        },
      ],
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } },
            { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
            { type: 'file', file: { file_data: 'data:application/pdf;base64,AAAA', filename: 'a.pdf' } },
          ],
        },
      ],
    ],
    [
      'earlier output handed back: text parts joined, refusal kept',
      [
        {
          type: 'message',
          id: 'msg_1',
          status: 'completed',
          role: 'assistant',
          content: [
            { type: 'output_text', text: 'Hello, ', annotations: [] },
            { type: 'output_text', text: 'world', annotations: [] },
          ],
        },
        { role: 'assistant', content: [{ type: 'refusal', refusal: 'no' }] },
      ],
      [
        { role: 'assistant', content: 'Hello, world' },
        { role: 'assistant', content: null, refusal: 'no' },
      ],
    ],
    [
      'text, consecutive function calls and their outputs',
      [
        { role: 'user', content: 'weather in Paris and Oslo?' },
        { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'xyz' },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Looking.' }] },
        { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call', id: 'fc_2', call_id: 'call_2', name: 'weather', arguments: '{"city":"Oslo"}' },
        { type: 'function_call_output', call_id: 'call_1', output: '18C' },
        { type: 'function_call_output', call_id: 'call_2', output: [{ type: 'input_text', text: '9C' }] },
      ],
      [
        { role: 'user', content: 'weather in Paris and Oslo?' },
        {
          role: 'assistant',
          content: 'Looking.',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '18C' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '9C' }] },
      ],
    ],
    [
      'a function call with no text before it',
      [
        { role: 'user', content: 'go' },
        { type: 'function_call', call_id: 'call_1', name: 'run', arguments: '{}' },
      ],
      [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'run', arguments: '{}' } }] },
      ],
    ],
  ])('%s', (_name, input, messages) => {
    expect(translate({ input }).body.messages).toEqual(messages);
  });

  it('makes custom tool calls and their outputs tool calls whose arguments wrap the text', () => {
    const input = [
      { type: 'custom_tool_call', id: 'ctc_1', call_id: 'call_1', name: 'apply_patch', input: '*** Begin Patch\n*** End Patch' },
      { type: 'custom_tool_call_output', call_id: 'call_1', output: 'Done!' },
    ];
    expect(translate({ input }).body.messages).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'apply_patch', arguments: '{"input":"*** Begin Patch\\n*** End Patch"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'Done!' },
    ]);
  });

  it('puts instructions first, then the history, then the input', () => {
    const history = [
      { type: 'message', role: 'user', content: 'first' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'one' }] },
    ];
    expect(translate({ instructions: 'be brief', input: 'second' }, history).body.messages).toEqual([
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'one' },
      { role: 'user', content: 'second' },
    ]);
  });

  it('drops reasoning items with a note', () => {
    const reasoning = { type: 'reasoning', summary: [] };
    expect(translate({ input: [reasoning, { role: 'user', content: 'x' }] }).notes).toEqual(['1 reasoning item dropped']);
    expect(translate({ input: [reasoning, reasoning] }, [reasoning]).notes).toEqual(['3 reasoning items dropped']);
    expect(translate({ input: 'x' }).notes).toEqual([]);
  });
});

describe('toChat: request fields', () => {
  it.each([
    [
      'function tools',
      {
        tools: [
          { type: 'function', name: 'f', description: 'd', parameters: { type: 'object' }, strict: true },
          { type: 'function', name: 'g' },
        ],
      },
      {
        tools: [
          { type: 'function', function: { name: 'f', description: 'd', parameters: { type: 'object' }, strict: true } },
          { type: 'function', function: { name: 'g' } },
        ],
      },
    ],
    [
      'a custom tool, as a function taking its text in input',
      { tools: [{ type: 'custom', name: 'notes', description: 'Free text' }], tool_choice: { type: 'custom', name: 'notes' } },
      {
        tools: [
          {
            type: 'function',
            function: {
              name: 'notes',
              description: 'Free text',
              parameters: {
                type: 'object',
                properties: { input: { type: 'string', description: 'The input of the tool, as free-form text.' } },
                required: ['input'],
                additionalProperties: false,
              },
            },
          },
        ],
        tool_choice: { type: 'function', function: { name: 'notes' } },
      },
    ],
    ['tool_choice required', { tools: [{ type: 'function', name: 'f' }], tool_choice: 'required' }, { tool_choice: 'required' }],
    [
      'tool_choice of a function',
      { tools: [{ type: 'function', name: 'f' }], tool_choice: { type: 'function', name: 'f' } },
      { tool_choice: { type: 'function', function: { name: 'f' } } },
    ],
    [
      'text.format json_schema',
      { text: { format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true, description: 'd' } } },
      {
        response_format: { type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' }, strict: true, description: 'd' } },
      },
    ],
    [
      'text.format json_object and verbosity',
      { text: { format: { type: 'json_object' }, verbosity: 'low' } },
      { response_format: { type: 'json_object' }, verbosity: 'low' },
    ],
    [
      'sampling and identity fields',
      { temperature: 0.2, top_p: 0.9, user: 'u1', safety_identifier: 's1', service_tier: 'flex' },
      {
        temperature: 0.2,
        top_p: 0.9,
        user: 'u1',
        safety_identifier: 's1',
        service_tier: 'flex',
      },
    ],
    ['parallel_tool_calls', { tools: [{ type: 'function', name: 'f' }], parallel_tool_calls: false }, { parallel_tool_calls: false }],
    ['stream (the adapter asks for the usage chunk)', { stream: true }, { stream: true }],
  ])('%s', (_name, fields, expected) => {
    expect(translate({ input: 'x', ...fields }).body).toMatchObject(expected);
  });

  it('sends reasoning.effort to models configured with reasoning, and notes it dropped for the others', () => {
    expect(translate({ input: 'x', reasoning: { effort: 'high' } }, [], { reasoning: true })).toEqual({
      body: expect.objectContaining({ reasoning_effort: 'high' }),
      notes: [],
    });
    const { body, notes } = translate({ input: 'x', reasoning: { effort: 'high' } });
    expect(body.reasoning_effort).toBeUndefined();
    expect(notes).toEqual(['reasoning.effort dropped: the model is not configured with reasoning']);
  });

  it("flattens a namespace's tools into functions named {namespace}__{name}, and its calls handed back likewise", () => {
    const namespace = {
      type: 'namespace',
      name: 'multi_agent_v1',
      description: 'Sub-agents.',
      tools: [
        { type: 'function', name: 'spawn_agent', description: 'Start one.', parameters: { type: 'object', properties: {} }, strict: false },
        { type: 'function', name: 'wait', parameters: { type: 'object' } },
      ],
    };
    const input = [
      { role: 'user', content: 'go' },
      { type: 'function_call', call_id: 'call_1', name: 'spawn_agent', namespace: 'multi_agent_v1', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_1', output: 'started' },
    ];
    const { body } = translate({ input, tools: [{ type: 'function', name: 'exec_command' }, namespace] });
    expect(body.tools).toEqual([
      { type: 'function', function: { name: 'exec_command' } },
      {
        type: 'function',
        function: {
          name: 'multi_agent_v1__spawn_agent',
          description: 'Sub-agents.\n\nStart one.',
          parameters: { type: 'object', properties: {} },
          strict: false,
        },
      },
      { type: 'function', function: { name: 'multi_agent_v1__wait', description: 'Sub-agents.', parameters: { type: 'object' } } },
    ]);
    expect((body.messages as any[])[1].tool_calls[0].function.name).toBe('multi_agent_v1__spawn_agent');
    // Too long for chat's 64 characters: shortened, with a hash of the whole.
    const long = translate({
      input: 'x',
      tools: [{ type: 'namespace', name: 'mcp__'.repeat(12), description: '', tools: [{ type: 'function', name: 'read' }] }],
    });
    expect((long.body.tools as any)[0].function.name).toMatch(/^(mcp__){11}_[0-9a-f]{8}$/);
  });

  it('drops hosted tools, deferred tools and hosted tool calls handed back, with notes (what Codex sends)', () => {
    const { body, notes } = translate({
      input: [
        { role: 'user', content: 'x' },
        { type: 'web_search_call', id: 'ws_1', status: 'completed', action: { type: 'search', query: 'q' } },
      ],
      tools: [
        { type: 'function', name: 'exec_command', parameters: { type: 'object' } },
        { type: 'web_search', external_web_access: false },
        { type: 'file_search', vector_store_ids: [] },
        { type: 'web_search_preview' },
        { type: 'function', name: 'mcp_search', defer_loading: true },
      ],
      tool_choice: 'auto',
    });
    expect(body.tools).toEqual([{ type: 'function', function: { name: 'exec_command', parameters: { type: 'object' } } }]);
    expect(body.messages).toEqual([{ role: 'user', content: 'x' }]);
    expect(notes).toEqual([
      '1 hosted tool call item dropped',
      '1 web_search tool dropped',
      '1 file_search tool dropped',
      '1 web_search_preview tool dropped',
      '1 deferred tool not sent',
    ]);
    // With nothing left to call, the tool settings go too.
    expect(translate({ input: 'x', tools: [{ type: 'web_search' }], tool_choice: 'auto', parallel_tool_calls: true }).body).toEqual({
      model: 'gpt-5-codex',
      messages: [{ role: 'user', content: 'x' }],
    });
  });

  it("shows a custom tool's grammar to the model, with a note that it is not enforced", () => {
    const format = { type: 'grammar', syntax: 'lark', definition: 'start: "*** Begin Patch" /(.|\\n)*/' };
    const { body, notes } = translate({ input: 'x', tools: [{ type: 'custom', name: 'apply_patch', format }] });
    const description = (body.tools as any)[0].function.parameters.properties.input.description;
    expect(description).toContain('lark grammar');
    expect(description).toContain(format.definition);
    expect(notes).toEqual(['grammar of custom tool apply_patch not enforced']);
  });

  it('sends nothing for what only the gateway or the echo reads, or what changes nothing', () => {
    const { body, notes } = translate(
      {
        input: 'x',
        store: true,
        previous_response_id: null,
        metadata: { a: '1' },
        stream: false,
        stream_options: { include_obfuscation: false },
        background: false,
        truncation: 'disabled',
        include: ['reasoning.encrypted_content'],
        text: { format: { type: 'text' } },
        reasoning: { effort: 'low', summary: 'auto' },
        tool_choice: 'auto',
        parallel_tool_calls: true,
        temperature: null,
        max_output_tokens: 300,
        prompt_cache_key: 'k',
        prompt_cache_retention: '24h',
        client_metadata: { 'x-codex-installation-id': 'i' },
      },
      [],
      { reasoning: true },
    );
    expect(body).toEqual({ model: 'gpt-5-codex', messages: [{ role: 'user', content: 'x' }], reasoning_effort: 'low' });
    expect(notes).toEqual(['reasoning.summary dropped']);
  });
});

describe('toChat and validateRequest: refusals name the field', () => {
  it.each([
    ['a body that is not an object', [], 'invalid_type', 'request body'],
    ['no model', { input: 'x' }, 'missing_required_parameter', "'model'"],
    ['no input', { model: 'm' }, 'missing_required_parameter', "'input'"],
    ['input of the wrong type', { model: 'm', input: 3 }, 'invalid_type', "'input'"],
    ['an input item that is not an object', { model: 'm', input: ['x'] }, 'invalid_type', "'input[0]'"],
    [
      'a null item after good ones',
      { model: 'm', input: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }, null] },
      'missing_required_parameter',
      "'input[2]'",
    ],
    ['stream not a boolean', { model: 'm', input: 'x', stream: 'yes' }, 'invalid_type', "'stream'"],
    ['an unknown item type', { model: 'm', input: [{ type: 'computer_call', id: 'cu_1' }] }, 'unsupported_value', "'input[0].type'"],
    [
      'an item reference',
      {
        model: 'm',
        input: [
          { role: 'user', content: 'a' },
          { type: 'item_reference', id: 'msg_1' },
        ],
      },
      'unsupported_value',
      "'input[1].type'",
    ],
    ['an item without type or role', { model: 'm', input: [{ content: 'a' }] }, 'missing_required_parameter', "'input[0].type'"],
    ['a bad role', { model: 'm', input: [{ role: 'tool', content: 'a' }] }, 'invalid_value', "'input[0].role'"],
    [
      'an image by file id',
      { model: 'm', input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file_1', detail: 'auto' }] }] },
      'unsupported_parameter',
      "'input[0].content[0].file_id'",
    ],
    [
      'a file by URL',
      { model: 'm', input: [{ role: 'user', content: [{ type: 'input_file', file_url: 'https://x/a.pdf' }] }] },
      'unsupported_parameter',
      "'input[0].content[0].file_url'",
    ],
    [
      'an image in a system message',
      { model: 'm', input: [{ role: 'system', content: [{ type: 'input_image', image_url: 'https://x/a.png' }] }] },
      'unsupported_value',
      "'input[0].content[0].type'",
    ],
    [
      'an image in a tool output',
      { model: 'm', input: [{ type: 'function_call_output', call_id: 'c', output: [{ type: 'input_image', image_url: 'https://x' }] }] },
      'unsupported_value',
      "'input[0].output[0].type'",
    ],
    [
      'a function call without call_id',
      { model: 'm', input: [{ type: 'function_call', name: 'f', arguments: '{}' }] },
      'missing_required_parameter',
      "'input[0].call_id'",
    ],
    ['a tool without type', { model: 'm', input: 'x', tools: [{ name: 'f' }] }, 'missing_required_parameter', "'tools[0].type'"],
    [
      'a namespace holding a hosted tool',
      { model: 'm', input: 'x', tools: [{ type: 'namespace', name: 'n', tools: [{ type: 'web_search' }] }] },
      'invalid_value',
      "'tools[0].tools[0].type'",
    ],
    [
      'a conversation (OpenAI-side state, shared by every consumer of the key)',
      { model: 'm', input: 'x', conversation: { id: 'conv_1' } },
      'unsupported_parameter',
      "'conversation'",
    ],
    [
      'a tool_choice of a built-in tool',
      { model: 'm', input: 'x', tools: [{ type: 'function', name: 'f' }], tool_choice: { type: 'web_search_preview' } },
      'unsupported_value',
      "'tool_choice.type'",
    ],
    ['a tool_choice without tools', { model: 'm', input: 'x', tool_choice: 'required' }, 'invalid_value', "'tool_choice'"],
    [
      'a custom tool of an unknown format',
      { model: 'm', input: 'x', tools: [{ type: 'custom', name: 'c', format: { type: 'xml' } }] },
      'invalid_value',
      "'tools[0].format.type'",
    ],
    [
      'a custom tool call without input',
      { model: 'm', input: [{ type: 'custom_tool_call', call_id: 'c', name: 'n' }] },
      'missing_required_parameter',
      "'input[0].input'",
    ],
    ['a bad text.format', { model: 'm', input: 'x', text: { format: { type: 'xml' } } }, 'invalid_value', "'text.format.type'"],
    [
      'a json_schema without schema',
      { model: 'm', input: 'x', text: { format: { type: 'json_schema', name: 'n' } } },
      'missing_required_parameter',
      "'text.format.schema'",
    ],
    ['max_output_tokens of 0', { model: 'm', input: 'x', max_output_tokens: 0 }, 'invalid_value', "'max_output_tokens'"],
    ['max_output_tokens not an integer', { model: 'm', input: 'x', max_output_tokens: 1.5 }, 'invalid_type', "'max_output_tokens'"],
    ['temperature of the wrong type', { model: 'm', input: 'x', temperature: 'hot' }, 'invalid_type', "'temperature'"],
    ['background mode', { model: 'm', input: 'x', background: true }, 'unsupported_parameter', "'background'"],
    ['a prompt template', { model: 'm', input: 'x', prompt: { id: 'pmpt_1' } }, 'unsupported_parameter', "'prompt'"],
    ['truncation auto', { model: 'm', input: 'x', truncation: 'auto' }, 'unsupported_parameter', "'truncation'"],
    ['top_logprobs', { model: 'm', input: 'x', top_logprobs: 3 }, 'unsupported_parameter', "'top_logprobs'"],
    ['max_tool_calls', { model: 'm', input: 'x', max_tool_calls: 2 }, 'unsupported_parameter', "'max_tool_calls'"],
    ['metadata not an object', { model: 'm', input: 'x', metadata: 'tag' }, 'invalid_type', "'metadata'"],
    ['an unknown field', { model: 'm', input: 'x', frobnicate: 1 }, 'unsupported_parameter', "'frobnicate'"],
    [
      'a field named like an Object method',
      JSON.parse('{"model": "m", "input": "x", "constructor": 1}'),
      'unsupported_parameter',
      "'constructor'",
    ],
    [
      'an unknown reasoning field',
      { model: 'm', input: 'x', reasoning: { effort: 'low', budget: 3 } },
      'unsupported_parameter',
      "'reasoning.budget'",
    ],
    ['an unknown text field', { model: 'm', input: 'x', text: { colour: 'red' } }, 'unsupported_parameter', "'text.colour'"],
    ['logprobs included', { model: 'm', input: 'x', include: ['message.output_text.logprobs'] }, 'unsupported_value', "'include[0]'"],
  ])('%s', (_name, body, code, field) => {
    const [actualCode, message] = refusal(body);
    expect(actualCode).toBe(code);
    expect(message).toContain(field);
  });

  it('names a bad history item as such', () => {
    expect(refusal({ model: 'm', input: 'x' }, [{ type: 'mcp_call' }])[1]).toContain("'previous_response_id item 0.type'");
  });
});
