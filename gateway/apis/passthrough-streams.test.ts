// The streams passed through as bytes (chat to an OpenAI-type provider, Messages to Anthropic, Responses to OpenAI)
// read their usage and their few renamed events from the bytes, parsing nothing else: whatever the texts carry
// (quotes, escapes, `"usage"` itself, any Unicode) and wherever the reads cut the bytes (inside an event, inside a
// character), the client gets the upstream's bytes with only the gateway's values changed, and the usage line gets
// exactly the provider's counts, cache and reasoning tokens included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutReads, cutsArb, offlineOpenAI } from '../../test/support/stream-translation.ts';
import type { Call } from '../call.ts';
import type { StreamTranslator } from '../providers/adapter.ts';
import { openAIAdapter } from '../providers/openai.ts';
import { UpstreamFailure } from '../providers/upstream-errors.ts';
import type { Candidate } from '../routing.ts';
import { chatLeg } from './chat.ts';
import { passthroughLeg as messagesLeg } from './messages/passthrough.ts';
import type { MessagesRequest } from './messages/request.ts';
import { passthroughLeg as responsesLeg } from './responses/passthrough.ts';
import type { ResponsesApiRequest } from './responses/request.ts';

const ASKED = 'client-model';
const call = { requestedModel: ASKED, note() {} } as unknown as Call;
const provider = offlineOpenAI;
const candidate = { provider: { adapter: openAIAdapter(provider, 'k'), ir: provider }, model: provider.models[0] } as unknown as Candidate;

/** Texts a model may write, the awkward ones often: escapes, quotes, SSE-looking lines, the members read. */
const textArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.constantFrom('"usage":{"input_tokens":999}', '\\"usage\\":{', 'data: [DONE]\n\n', 'event: message_stop\n\n', '"', '\\', 'é😀'),
);
const countArb = fc.nat(100_000);

/** What the translator sends for these reads, and its usage. */
function relay(translator: StreamTranslator, chunks: Buffer[]) {
  const out = chunks.map((c) => Buffer.from(translator.push(c)));
  out.push(Buffer.from(translator.end()));
  return { sent: Buffer.concat(out).toString('utf8'), usage: translator.usage };
}

const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

describe('Messages passed through', () => {
  const stream = (model: string, texts: string[], u: { input: number; write: number; read: number; output: number }) =>
    [
      sse('message_start', {
        type: 'message_start',
        message: {
          id: 'msg_1',
          type: 'message',
          role: 'assistant',
          model,
          content: [],
          usage: { input_tokens: u.input, cache_creation_input_tokens: u.write, cache_read_input_tokens: u.read, output_tokens: 1 },
        },
      }),
      sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
      ...texts.map((text) => sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })),
      sse('content_block_stop', { type: 'content_block_stop', index: 0 }),
      sse('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: u.output } }),
      sse('message_stop', { type: 'message_stop' }),
    ].join('');

  it('sends the bytes with the asked model, and counts the tokens of message_start and message_delta', () => {
    const usageArb = fc.record({ input: countArb, write: countArb, read: countArb, output: countArb });
    fc.assert(
      fc.property(fc.array(textArb, { maxLength: 6 }), usageArb, cutsArb, (texts, u, cuts) => {
        const translator = messagesLeg.stream(call, {} as MessagesRequest, candidate);
        const { sent, usage } = relay(translator, cutReads(Buffer.from(stream('claude-upstream', texts, u)), cuts));
        expect(sent).toBe(stream(ASKED, texts, u));
        expect(usage).toEqual({
          input: u.input + u.write + u.read,
          output: u.output,
          ...(u.read ? { cacheRead: u.read } : {}),
          ...(u.write ? { cacheWrite: u.write } : {}),
        });
      }),
      { numRuns: 400, seed: 15 },
    );
  });

  it('takes an error event for the status it names', () => {
    const translator = messagesLeg.stream(call, {} as MessagesRequest, candidate);
    const error = sse('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    expect(() => translator.push(Buffer.from(error))).toThrow(expect.objectContaining({ status: 529 }));
  });
});

describe('Responses passed through', () => {
  const usage = (input: number, cached: number, output: number, reasoning: number) => ({
    input_tokens: input,
    input_tokens_details: { cached_tokens: cached },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: reasoning },
    total_tokens: input + output,
  });
  const stream = (model: string, texts: string[], u: ReturnType<typeof usage>, named: boolean) => {
    const response = { id: 'resp_1', object: 'response', model, output: [], usage: null };
    const ref = { item_id: 'msg_1', output_index: 0, content_index: 0 };
    const events: [string, object][] = [
      ['response.created', { response: { ...response, status: 'in_progress' } }],
      ...texts.map((delta): [string, object] => ['response.output_text.delta', { ...ref, delta }]),
      ['response.output_text.done', { ...ref, text: texts.join('') }],
      ['response.completed', { response: { ...response, status: 'completed', usage: u } }],
    ];
    return events
      .map(([type, data], sequence_number) =>
        named ? sse(type, { type, ...data, sequence_number }) : `data: ${JSON.stringify({ type, ...data, sequence_number })}\n\n`,
      )
      .join('');
  };

  it('sends the bytes with the asked model, and counts the final Response’s tokens, with or without event names', () => {
    const usageArb = fc.tuple(countArb, countArb, countArb, countArb).map(([i, c, o, r]) => usage(i, c, o, r));
    fc.assert(
      fc.property(fc.array(textArb, { maxLength: 6 }), usageArb, fc.boolean(), cutsArb, (texts, u, named, cuts) => {
        const translator = responsesLeg.stream(call, { body: {}, stored: false } as ResponsesApiRequest, candidate);
        const { sent, usage: counted } = relay(translator, cutReads(Buffer.from(stream('gpt-upstream', texts, u, named)), cuts));
        expect(sent).toBe(stream(ASKED, texts, u, named));
        const cached = u.input_tokens_details.cached_tokens;
        expect(counted).toEqual({ input: u.input_tokens, output: u.output_tokens, ...(cached ? { cacheRead: cached } : {}) });
      }),
      { numRuns: 400, seed: 15 },
    );
  });

  it('keeps the whole final Response when the gateway stores it', () => {
    const req = { body: {}, stored: true } as ResponsesApiRequest;
    const { usage: counted } = relay(responsesLeg.stream(call, req, candidate), [
      Buffer.from(stream('gpt-upstream', ['Hi'], usage(5, 2, 3, 1), true)),
    ]);
    expect(counted).toEqual({ input: 5, output: 3, cacheRead: 2 });
    expect(req.response).toMatchObject({ model: ASKED, status: 'completed', usage: usage(5, 2, 3, 1) });
  });

  it('takes a response.failed event for the failure it reports', () => {
    const failed = sse('response.failed', {
      type: 'response.failed',
      response: { status: 'failed', error: { code: 'rate_limit_exceeded' } },
    });
    const translator = responsesLeg.stream(call, { body: {}, stored: false } as ResponsesApiRequest, candidate);
    expect(() => translator.push(Buffer.from(failed))).toThrow(UpstreamFailure);
  });
});

describe('chat passed through', () => {
  const envelope = (model: string) => ({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model });
  const chunk = (model: string, delta: object, finish: string | null = null) =>
    `data: ${JSON.stringify({ ...envelope(model), choices: [{ index: 0, delta, finish_reason: finish }], usage: null })}\n\n`;
  const usageChunk = (model: string, input: number, cached: number, output: number) =>
    `data: ${JSON.stringify({ ...envelope(model), choices: [], usage: { prompt_tokens: input, completion_tokens: output, prompt_tokens_details: { cached_tokens: cached } } })}\n\n`;
  const stream = (model: string, texts: string[], withUsage: [number, number, number] | undefined) =>
    [
      chunk(model, { role: 'assistant', content: '' }),
      ...texts.map((content) => chunk(model, { content })),
      chunk(model, {}, 'stop'),
      withUsage ? usageChunk(model, ...withUsage) : '',
      'data: [DONE]\n\n',
    ].join('');

  it('sends the chunks with the asked model, reads the usage chunk, and drops it when the client did not ask for it', () => {
    const countsArb = fc.tuple(countArb, countArb, countArb);
    fc.assert(
      fc.property(fc.array(textArb, { maxLength: 6 }), countsArb, fc.boolean(), cutsArb, (texts, counts, includeUsage, cuts) => {
        const [input, cached, output] = counts;
        const translator = chatLeg.stream(call, { includeUsage } as never, candidate);
        const { sent, usage } = relay(translator, cutReads(Buffer.from(stream('gpt-upstream', texts, counts)), cuts));
        expect(sent).toBe(stream(ASKED, texts, includeUsage ? counts : undefined));
        expect(usage).toEqual({ input, output, ...(cached ? { cacheRead: cached } : {}) });
      }),
      { numRuns: 400, seed: 15 },
    );
  });

  it('ends on [DONE] written with CRLF or after an id line', () => {
    for (const done of ['data: [DONE]\r\n\r\n', 'id: 8f3a2c71-55e0-4a5e-9c1d-0b7e6a4d2f10\ndata:[DONE]\n\n']) {
      const translator = chatLeg.stream(call, { includeUsage: false } as never, candidate);
      translator.push(Buffer.from(chunk('m', { content: 'Hi' }) + done));
      expect(() => translator.end()).not.toThrow();
    }
  });

  it('takes a stream without its [DONE] for a cut one', () => {
    const translator = chatLeg.stream(call, { includeUsage: false } as never, candidate);
    translator.push(Buffer.from(chunk('m', { content: 'Hi' })));
    expect(() => translator.end()).toThrow(UpstreamFailure);
  });
});
