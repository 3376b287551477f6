import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerWithModel, eventsWithModel } from './model-field.ts';
import { NO_USAGE } from './usage.ts';

const answer = (body: string | Buffer) => answerWithModel({ body: typeof body === 'string' ? Buffer.from(body) : body, usage: NO_USAGE }, 'claude-sonnet-4-5').body.toString();

describe('answerWithModel', () => {
  it('splices the asked id over the top-level model, leaving every other byte as it was', () => {
    const upstream = '{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini-2024-07-18","choices":[]}';
    expect(answer(upstream)).toBe(upstream.replace('gpt-4o-mini-2024-07-18', 'claude-sonnet-4-5'));
    expect(answer('{ "model" :\n "x" , "n": 1 }')).toBe('{ "model" :\n "claude-sonnet-4-5" , "n": 1 }');
  });

  it('hands back the very same answer when the model already reads so, or when no id was asked for', () => {
    const body = Buffer.from('{"model":"claude-sonnet-4-5","choices":[]}');
    const same = { body, usage: NO_USAGE };
    expect(answerWithModel(same, 'claude-sonnet-4-5').body).toBe(body);
    expect(answerWithModel(same, undefined)).toBe(same);
  });

  it('finds the member after nested values and strings that look like it, and never a nested one', () => {
    const tricky = JSON.stringify({
      choices: [{ message: { content: 'say "model":"evil" and \\"model\\"', model: 'nested' } }],
      'model\\': 'not it',
      usage: { prompt_tokens: 1 },
      model: 'upstream',
    });
    const out = JSON.parse(answer(tricky));
    expect(out).toEqual({ ...JSON.parse(tricky), model: 'claude-sonnet-4-5' });
  });

  it('leaves alone what it cannot read: no model, a non-string model, text that is not a JSON object', () => {
    for (const body of ['{"choices":[]}', '{"model":null}', '{"model":', '[{"model":"x"}]', '<html>', '{"a" "model":"x"}']) expect(answer(body)).toBe(body);
  });

  it('gives what a full parse and re-encode would, on random objects', () => {
    const member = fc.tuple(fc.string(), fc.jsonValue());
    fc.assert(
      fc.property(fc.array(member, { maxLength: 6 }), fc.nat(6), fc.string(), fc.boolean(), (members, at, upstream, pretty) => {
        const entries = members.filter(([k]) => k !== 'model');
        entries.splice(Math.min(at, entries.length), 0, ['model', upstream]);
        const text = JSON.stringify(Object.fromEntries(entries), null, pretty ? 2 : undefined);
        expect(JSON.parse(answer(text))).toEqual({ ...JSON.parse(text), model: 'claude-sonnet-4-5' });
      }),
      { numRuns: 500 },
    );
  });
});

describe('eventsWithModel', () => {
  it('rewrites the model of each data line, whatever the line endings, and leaves [DONE] and comments be', () => {
    const chunk = 'data: {"id":"c","model":"gpt-4o-mini","choices":[{"delta":{"content":"data: {\\"model\\":\\"x\\"}"}}]}\n\n'
      + ': keep-alive\r\n\r\ndata:{"model":"gpt-4o-mini"}\r\n\r\ndata: [DONE]\n\n';
    const out = eventsWithModel(Buffer.from(chunk), 'gpt-5').toString();
    expect(out).toBe(chunk.replace('"model":"gpt-4o-mini","choices"', '"model":"gpt-5","choices"').replace('data:{"model":"gpt-4o-mini"}', 'data:{"model":"gpt-5"}'));
  });

  it('returns text and buffers unchanged, as given, when nothing differs', () => {
    const text = 'data: {"model":"gpt-5"}\n\n';
    expect(eventsWithModel(text, 'gpt-5')).toBe(text);
    const empty = Buffer.alloc(0);
    expect(eventsWithModel(empty, 'gpt-5')).toBe(empty);
  });
});
