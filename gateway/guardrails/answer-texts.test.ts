// The text a stream guard scans is exactly the text the client is sent, whether an event is read by the fast path
// (the usual compact shapes) or parsed (anything else): checked on generated events of every API's stream format.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventTexts } from './answer-texts.ts';

/** One event carrying `text`, in one of the shapes servers write, compact or spaced, and the text it carries. */
const eventArb = fc.tuple(fc.string({ unit: 'binary', maxLength: 40 }), fc.nat(8), fc.boolean()).map(([text, shape, spaced]) => {
  const events: [unknown, string][] = [
    [{ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: text }, finish_reason: null }] }, text],
    [{ id: 'c1', choices: [{ index: 0, delta: { role: 'assistant', content: text } }] }, text],
    [
      {
        choices: [
          { index: 0, delta: { content: text } },
          { index: 1, delta: { content: 'second' } },
        ],
      },
      `${text}second`,
    ],
    [{ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }, text],
    [{ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: text } }, ''],
    [{ type: 'response.output_text.delta', item_id: 'm', output_index: 0, content_index: 0, delta: text, sequence_number: 3 }, text],
    [{ type: 'response.function_call_arguments.delta', item_id: 'f', delta: text }, ''],
    [{ choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: text } }] } }] }, ''],
    [{ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { note: text } }, ''],
  ];
  const [event, carried] = events[shape]!;
  const json = spaced ? JSON.stringify(event, null, 1).replace(/\n/g, '') : JSON.stringify(event);
  return { line: `data: ${json}`, carried };
});

describe('eventTexts', () => {
  it('reads the text deltas of chat, Messages and Responses events, and nothing else', () => {
    const run = [
      'data: {"choices":[{"index":0,"delta":{"content":"Hel"}}]}',
      'data: {"choices":[{"index":0,"delta":{"content":"lo \\"you\\"\\n"}}]}',
      'event: content_block_delta',
      'data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"caf\\u00e9"}}',
      'data: {"type":"message_delta","delta":{"stop_reason":"end_turn"}}',
      'data: {"type":"response.output_text.delta","delta":"!"}',
      'data: [DONE]',
    ].join('\n\n');
    expect(eventTexts(run)).toBe('Hello "you"\ncafé!');
  });

  it('gives exactly the text the events carry, for any text and shape', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 6 }), (events) => {
        const run = events.map((e) => `${e.line}\n\n`).join('');
        expect(eventTexts(run)).toBe(events.map((e) => e.carried).join(''));
      }),
      { numRuns: 2000, seed: 7 },
    );
  });
});
