import { describe, expect, it } from 'vitest';
import { doc, findings } from '../../test/support/policy-resources.ts';
import { modelPricesKnown } from './model-prices-known.ts';

const provider = (models: string) => doc('Provider', 'openai', `type: openai\nbaseUrl: https://x\nmodels:\n${models}`);

describe('model-prices-known', () => {
  it('accepts chat models with both prices and embedding models with an input price', () => {
    const yaml = provider('  - {name: gpt-4o, inputPricePer1M: 2.5, outputPricePer1M: 10}\n  - {name: emb, type: embeddings, inputPricePer1M: 0.02}');
    expect(findings(modelPricesKnown, yaml)).toEqual([]);
  });

  it('flags the model entry without prices', () => {
    const found = findings(modelPricesKnown, provider('  - {name: gpt-4o, inputPricePer1M: 2.5, outputPricePer1M: 10}\n  - {name: gpt-x, inputPricePer1M: 1}'));
    expect(found.map((f) => [f.at, f.message])).toEqual([
      ['spec.models[1]', 'Model gpt-x of provider openai has no outputPricePer1M: its cost counts as 0 against budgets.'],
    ]);
  });
});
