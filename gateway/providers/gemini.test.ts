// Translation between the OpenAI chat format and the Gemini API: request, response, SSE stream and errors.
import { describe, expect, it } from 'vitest';
import { GeminiStream } from './gemini-stream.ts';
import { googleFailure, toChatCompletion, toGenerateContentRequest } from './gemini-translate.ts';
import { chat, failureOf, translatedChunks } from '../../test/support/stream-translation.ts';

const user = (content: unknown) => ({ role: 'user', content });
const parameters = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
const tools = [{ type: 'function', function: { name: 'weather', description: 'Weather by city', parameters } }];

describe('toGenerateContentRequest', () => {
  it('maps system text, roles, images, function calls and their responses, and generation settings', () => {
    const out = toGenerateContentRequest(
      chat(
        {
          messages: [
            { role: 'system', content: 'Be brief.' },
            user([
              { type: 'text', text: 'Weather here?' },
              { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/' } },
            ]),
            {
              role: 'assistant',
              content: null,
              tool_calls: [
                { id: 'call_1__thought__c2lnbmF0dXJl', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
                { id: 'call_2', type: 'function', function: { name: 'weather', arguments: '{"city":"Rome"}' } },
              ],
            },
            { role: 'tool', tool_call_id: 'call_1__thought__c2lnbmF0dXJl', content: '{"celsius":4}' },
            { role: 'tool', tool_call_id: 'call_2', content: 'sunny' },
            { role: 'assistant', content: '' },
          ],
          tools,
          tool_choice: { type: 'function', function: { name: 'weather' } },
          temperature: 0.1,
          top_p: 0.5,
          stop: ['END'],
          seed: 3,
          presence_penalty: 0.2,
          frequency_penalty: 0.3,
          response_format: { type: 'json_schema', json_schema: { name: 'w', strict: true, schema: parameters } },
          reasoning_effort: 'low',
        },
        { maxTokens: 256, stream: true },
      ),
    );
    expect(out).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Weather here?' }, { inlineData: { mimeType: 'image/jpeg', data: '/9j/' } }] },
        {
          role: 'model',
          parts: [
            { functionCall: { name: 'weather', args: { city: 'Oslo' } }, thoughtSignature: 'c2lnbmF0dXJl' },
            { functionCall: { name: 'weather', args: { city: 'Rome' } } },
          ],
        },
        // Both answers in one turn; a JSON object output as it is, other text wrapped. The empty turn is left out.
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'weather', response: { celsius: 4 } } },
            { functionResponse: { name: 'weather', response: { content: 'sunny' } } },
          ],
        },
      ],
      generationConfig: {
        maxOutputTokens: 256,
        stopSequences: ['END'],
        temperature: 0.1,
        topP: 0.5,
        seed: 3,
        presencePenalty: 0.2,
        frequencyPenalty: 0.3,
        responseMimeType: 'application/json',
        responseJsonSchema: parameters,
        thinkingConfig: { thinkingBudget: 1024 },
      },
      tools: [{ functionDeclarations: [{ name: 'weather', description: 'Weather by city', parametersJsonSchema: parameters }] }],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['weather'] } },
    });
  });

  it.each([
    ['auto', { mode: 'AUTO' }],
    ['none', { mode: 'NONE' }],
    ['required', { mode: 'ANY' }],
  ])('maps tool_choice %s', (tool_choice, mode) => {
    expect((toGenerateContentRequest(chat({ messages: [user('x')], tools, tool_choice })) as any).toolConfig).toEqual({
      functionCallingConfig: mode,
    });
  });

  it('asks for JSON without a schema for json_object', () => {
    expect(toGenerateContentRequest(chat({ messages: [user('x')], response_format: { type: 'json_object' } })).generationConfig).toEqual({
      responseMimeType: 'application/json',
    });
  });

  it.each([
    [{ n: 2 }, /^n cannot be sent to a Gemini model/],
    [{ logprobs: true }, /^logprobs cannot/],
    [{ parallel_tool_calls: false }, /^parallel_tool_calls cannot/],
    [{ reasoning_effort: 'minimal' }, /reasoning_effort "minimal"/],
  ])('refuses %j with a 400', (extra, message) => {
    expect(() => toGenerateContentRequest(chat({ messages: [user('x')], ...extra }))).toThrow(
      expect.objectContaining({ status: 400, code: 'unsupported_parameter', message: expect.stringMatching(message) }),
    );
  });

  it('refuses a tool result for no known call, and images given as links', () => {
    expect(() => toGenerateContentRequest(chat({ messages: [user('x'), { role: 'tool', tool_call_id: 'nope', content: 'x' }] }))).toThrow(
      /messages\[1\]\.tool_call_id/,
    );
    expect(() =>
      toGenerateContentRequest(chat({ messages: [user([{ type: 'image_url', image_url: { url: 'https://x/y.png' } }])] })),
    ).toThrow(/data: URLs/);
  });
});

describe('toChatCompletion', () => {
  const answer = (parts: object[], finishReason: string, usageMetadata: object = {}) => ({
    candidates: [{ content: { role: 'model', parts }, finishReason }],
    usageMetadata,
    modelVersion: 'gemini-2.5-flash',
    responseId: 'r1',
  });

  it.each([
    ['STOP', 'stop'],
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'content_filter'],
    ['RECITATION', 'content_filter'],
    ['OTHER', 'stop'],
  ])('maps finishReason %s to %s', (reason, finish) => {
    expect(toChatCompletion(answer([{ text: 'x' }], reason), 'm').choices[0]!.finish_reason).toBe(finish);
  });

  it('turns text and function calls into a message, leaving thoughts out, and counts thinking as output', () => {
    const out = toChatCompletion(
      answer(
        [
          { text: 'Let me think', thought: true },
          { text: 'Checking.' },
          { functionCall: { name: 'weather', args: { city: 'Oslo' } }, thoughtSignature: 'c2ln' },
        ],
        'STOP',
        {
          promptTokenCount: 12,
          candidatesTokenCount: 5,
          thoughtsTokenCount: 20,
          cachedContentTokenCount: 8,
          totalTokenCount: 37,
        },
      ),
      'm',
    );
    expect(out).toMatchObject({
      id: 'r1',
      model: 'gemini-2.5-flash',
      usage: { prompt_tokens: 12, completion_tokens: 25, total_tokens: 37, prompt_tokens_details: { cached_tokens: 8 } },
    });
    const message = out.choices[0]!.message as any;
    expect(message.content).toBe('Checking.');
    expect(message.tool_calls).toEqual([
      {
        id: expect.stringMatching(/^call_[0-9a-f]{32}__thought__c2ln$/),
        type: 'function',
        function: { name: 'weather', arguments: '{"city":"Oslo"}' },
      },
    ]);
    expect(out.choices[0]!.finish_reason).toBe('tool_calls');
  });

  it('answers a blocked prompt as content_filter', () => {
    expect(
      toChatCompletion({ promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 3 } }, 'm').choices[0],
    ).toMatchObject({ message: { content: '' }, finish_reason: 'content_filter' });
  });
});

const sse = (events: object[]) => Buffer.from(events.map((e) => `data: ${JSON.stringify(e)}\r\n\r\n`).join(''));
const EVENTS = [
  {
    candidates: [{ content: { role: 'model', parts: [{ text: 'Héllo ' }] }, index: 0 }],
    usageMetadata: { promptTokenCount: 7, totalTokenCount: 7 },
    modelVersion: 'gemini-2.5-flash',
    responseId: 'r1',
  },
  {
    candidates: [{ content: { role: 'model', parts: [{ text: 'thinking', thought: true }, { text: 'world' }] }, index: 0 }],
    usageMetadata: { promptTokenCount: 7, totalTokenCount: 7 },
    responseId: 'r1',
  },
  {
    candidates: [
      {
        content: { role: 'model', parts: [{ functionCall: { name: 'weather', args: { city: 'Oslo' } } }] },
        finishReason: 'STOP',
        index: 0,
      },
    ],
    usageMetadata: { promptTokenCount: 7, candidatesTokenCount: 4, thoughtsTokenCount: 2, totalTokenCount: 13 },
    responseId: 'r1',
  },
];
const wire = sse(EVENTS);

function translate(bytes: Buffer, chunkSize: number, includeUsage = true) {
  const stream = new GeminiStream(includeUsage, 'gemini-2.5-flash');
  return { chunks: translatedChunks(stream, bytes, chunkSize), stream };
}
const comparable = (chunks: any[]) =>
  chunks.map((c) => (typeof c === 'string' ? c : JSON.parse(JSON.stringify({ ...c, created: 0 }).replace(/call_[0-9a-f]{32}/g, 'call_x'))));

describe('GeminiStream', () => {
  it('emits OpenAI chunks whatever the chunking, each function call whole, then usage and [DONE]', () => {
    const whole = translate(wire, wire.length);
    for (const size of [1, 5]) expect(comparable(translate(wire, size).chunks)).toEqual(comparable(whole.chunks));
    expect(whole.chunks.slice(0, -2).map((c) => c.choices[0].delta)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'Héllo ' },
      { content: 'world' },
      {
        tool_calls: [
          { index: 0, id: expect.stringMatching(/^call_/), type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } },
        ],
      },
      {},
    ]);
    expect(whole.chunks[4].choices[0].finish_reason).toBe('tool_calls');
    expect(whole.chunks[5]).toMatchObject({
      id: 'r1',
      model: 'gemini-2.5-flash',
      choices: [],
      usage: { prompt_tokens: 7, completion_tokens: 6, total_tokens: 13 },
    });
    expect(whole.chunks[6]).toBe('[DONE]');
    expect(whole.stream.usage).toEqual({ input: 7, output: 6 });
    expect(translate(wire, 64, false).chunks.some((c) => c.usage)).toBe(false);
  });

  it('raises an error event as its HTTP status, and a stream without a finishReason as cut short', () => {
    const error = { error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } };
    expect(failureOf(() => translate(sse([EVENTS[0]!, error]), 7))).toMatchObject({ kind: 'status', status: 503 });
    expect(failureOf(() => translate(sse(EVENTS.slice(0, 2)), 7))).toMatchObject({ kind: 'reset' });
  });
});

describe('googleFailure', () => {
  it('reads the wait from RetryInfo, and an invalid key as an auth failure', () => {
    const limited = {
      error: {
        code: 429,
        message: 'Quota exceeded.',
        status: 'RESOURCE_EXHAUSTED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '17.2s' }],
      },
    };
    expect(googleFailure(429, JSON.stringify(limited))).toMatchObject({
      status: 429,
      retryAfter: '18',
      body: JSON.stringify({ error: { message: 'Quota exceeded.', type: 'RESOURCE_EXHAUSTED' } }),
    });
    const badKey = {
      error: {
        code: 400,
        message: 'API key not valid.',
        status: 'INVALID_ARGUMENT',
        details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }],
      },
    };
    expect(googleFailure(400, JSON.stringify(badKey))).toMatchObject({ status: 401 });
    expect(googleFailure(502, '<html>bad gateway</html>')).toMatchObject({ status: 502, body: '<html>bad gateway</html>' });
  });
});
