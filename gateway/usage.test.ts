// Usage read from the end of a passed-through OpenAI body, and its price.
import { describe, expect, it } from 'vitest';
import { testModel } from '../test/support/ir-fixture.ts';
import { costUsd, fromAnthropicUsage, usageFromOpenAIBody } from './usage.ts';

describe('usageFromOpenAIBody', () => {
  it('reads compact and pretty-printed bodies', () => {
    expect(usageFromOpenAIBody(Buffer.from('{"choices":[],"usage":{"prompt_tokens":9,"completion_tokens":4,"total_tokens":13}}'))).toEqual({
      input: 9,
      output: 4,
    });
    const pretty = JSON.stringify(
      { id: 'x', usage: { prompt_tokens: 3, completion_tokens: 2, prompt_tokens_details: { cached_tokens: 1 } }, system_fingerprint: 'fp' },
      null,
      2,
    );
    expect(usageFromOpenAIBody(Buffer.from(pretty))).toEqual({ input: 3, output: 2, cacheRead: 1 });
  });

  it('is not fooled by "usage" inside the answer text', () => {
    const body = JSON.stringify({
      choices: [{ message: { content: 'my "usage":{"prompt_tokens":999} notes' } }],
      usage: { prompt_tokens: 1, completion_tokens: 1 },
    });
    expect(usageFromOpenAIBody(Buffer.from(body))).toEqual({ input: 1, output: 1 });
    const noUsage = JSON.stringify({ choices: [{ message: { content: '"usage":{"prompt_tokens":999}' } }] });
    expect(usageFromOpenAIBody(Buffer.from(noUsage))).toEqual({ input: 0, output: 0 });
  });

  it('gives zero usage for bodies without one, embeddings included', () => {
    expect(usageFromOpenAIBody(Buffer.from('not json'))).toEqual({ input: 0, output: 0 });
    expect(usageFromOpenAIBody(Buffer.from('{"data":[],"usage":{"prompt_tokens":5,"total_tokens":5}}'))).toEqual({ input: 5, output: 0 });
  });

  it('reads cached prompt tokens as cache reads', () => {
    const body = '{"usage":{"prompt_tokens":50,"completion_tokens":2,"prompt_tokens_details":{"cached_tokens":40}}}';
    expect(usageFromOpenAIBody(Buffer.from(body))).toEqual({ input: 50, output: 2, cacheRead: 40 });
  });
});

describe('fromAnthropicUsage', () => {
  it('adds cache reads and writes to the input tokens, keeping them apart too', () => {
    expect(
      fromAnthropicUsage({ input_tokens: 5, output_tokens: 7, cache_creation_input_tokens: 100, cache_read_input_tokens: 20 }),
    ).toEqual({
      input: 125,
      output: 7,
      cacheRead: 20,
      cacheWrite: 100,
    });
    expect(fromAnthropicUsage({ input_tokens: 5, output_tokens: 1, cache_creation_input_tokens: 0 })).toEqual({ input: 5, output: 1 });
  });
});

describe('costUsd', () => {
  it('prices per million tokens, an unpriced side costing nothing', () => {
    const model = testModel('m', { inputPricePer1M: 0.15, outputPricePer1M: null });
    expect(costUsd(model, { input: 1_000_000, output: 5 }, 'openai')).toBe(0.15);
    expect(costUsd({ ...model, outputPricePer1M: 0.6 }, { input: 1, output: 2 }, 'openai')).toBe(0.00000135);
  });

  it('prices Anthropic cache reads at 0.1x and writes at 1.25x the input price, unless the model sets its own', () => {
    const model = testModel('m', { inputPricePer1M: 10, outputPricePer1M: 0 });
    // 1M uncached + 2M read + 4M written, of 7M input tokens.
    const usage = { input: 7_000_000, output: 0, cacheRead: 2_000_000, cacheWrite: 4_000_000 };
    expect(costUsd(model, usage, 'anthropic')).toBe(10 + 2 * 1 + 4 * 12.5);
    expect(costUsd({ ...model, cacheReadPricePer1M: 3, cacheWritePricePer1M: 20 }, usage, 'anthropic')).toBe(10 + 2 * 3 + 4 * 20);
    // OpenAI's cached-token discount differs per model: the input price unless configured.
    expect(costUsd(model, { input: 7_000_000, output: 0, cacheRead: 2_000_000 }, 'openai')).toBe(70);
    expect(costUsd({ ...model, cacheReadPricePer1M: 5 }, { input: 7_000_000, output: 0, cacheRead: 2_000_000 }, 'openai')).toBe(50 + 2 * 5);
  });
});
