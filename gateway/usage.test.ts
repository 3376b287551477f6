// Usage read from the end of a passed-through OpenAI body, and its price.
import { describe, expect, it } from 'vitest';
import { costUsd, usageFromOpenAIBody } from './usage.ts';

describe('usageFromOpenAIBody', () => {
  it('reads compact and pretty-printed bodies', () => {
    expect(usageFromOpenAIBody(Buffer.from('{"choices":[],"usage":{"prompt_tokens":9,"completion_tokens":4,"total_tokens":13}}'))).toEqual({ input: 9, output: 4 });
    const pretty = JSON.stringify({ id: 'x', usage: { prompt_tokens: 3, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 1 } }, system_fingerprint: 'fp' }, null, 2);
    expect(usageFromOpenAIBody(Buffer.from(pretty))).toEqual({ input: 3, output: 2 });
  });

  it('is not fooled by "usage" inside the answer text', () => {
    const body = JSON.stringify({ choices: [{ message: { content: 'my "usage":{"prompt_tokens":999} notes' } }], usage: { prompt_tokens: 1, completion_tokens: 1 } });
    expect(usageFromOpenAIBody(Buffer.from(body))).toEqual({ input: 1, output: 1 });
    const noUsage = JSON.stringify({ choices: [{ message: { content: '"usage":{"prompt_tokens":999}' } }] });
    expect(usageFromOpenAIBody(Buffer.from(noUsage))).toEqual({ input: 0, output: 0 });
  });

  it('gives zero usage for bodies without one, embeddings included', () => {
    expect(usageFromOpenAIBody(Buffer.from('not json'))).toEqual({ input: 0, output: 0 });
    expect(usageFromOpenAIBody(Buffer.from('{"data":[],"usage":{"prompt_tokens":5,"total_tokens":5}}'))).toEqual({ input: 5, output: 0 });
  });
});

describe('costUsd', () => {
  it('prices per million tokens, an unpriced side costing nothing', () => {
    const model = { name: 'm', type: 'chat' as const, inputPricePer1M: 0.15, outputPricePer1M: null, deprecated: false };
    expect(costUsd(model, { input: 1_000_000, output: 5 })).toBe(0.15);
    expect(costUsd({ ...model, outputPricePer1M: 0.6 }, { input: 1, output: 2 })).toBe(0.00000135);
  });
});
