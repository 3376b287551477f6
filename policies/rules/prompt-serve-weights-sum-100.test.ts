import { describe, expect, it } from 'vitest';
import { doc, findings } from '../../test/support/policy-resources.ts';
import { promptServeWeightsSum100 } from './prompt-serve-weights-sum-100.ts';

const prompt = (serve: string) =>
  doc('Prompt', 'summary', `route: chat\nversions:\n  v1: {messages: [{role: user, content: hi}]}\n  v2: {messages: [{role: user, content: hello}]}\nserve: ${serve}`);

describe('prompt-serve-weights-sum-100', () => {
  it('accepts a single version, or an A/B split summing to 100', () => {
    expect(findings(promptServeWeightsSum100, prompt('[{version: v1}]'))).toEqual([]);
    expect(findings(promptServeWeightsSum100, prompt('[{version: v1, weight: 90}, {version: v2, weight: 10}]'))).toEqual([]);
  });

  it('flags a split that does not sum to 100', () => {
    const found = findings(promptServeWeightsSum100, prompt('[{version: v1, weight: 90}, {version: v2, weight: 20}]'));
    expect(found.map((f) => [f.at, f.message])).toEqual([['spec.serve', "The weights of prompt summary's served versions sum to 110, not 100."]]);
  });
});
