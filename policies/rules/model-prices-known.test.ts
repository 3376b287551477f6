import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { modelPricesKnown } from './model-prices-known.ts';

const provider = (models: string) => doc('Provider', 'openai', `type: openai\nbaseUrl: https://x\nmodels:\n${models}`);

ruleTester.run(modelPricesKnown, {
  valid: [
    {
      name: 'chat models with both prices and embedding models with an input price',
      yaml: provider(
        '  - {name: gpt-4o, inputPricePer1M: 2.5, outputPricePer1M: 10}\n  - {name: emb, type: embeddings, inputPricePer1M: 0.02}',
      ),
    },
  ],
  invalid: [
    {
      name: 'the model entry without prices',
      yaml: provider('  - {name: gpt-4o, inputPricePer1M: 2.5, outputPricePer1M: 10}\n  - {name: gpt-x, inputPricePer1M: 1}'),
      errors: [
        {
          message: 'Model gpt-x of provider openai has no outputPricePer1M: its cost counts as 0 against budgets.',
          line: 12,
          column: 7,
          path: 'spec.models[1]',
        },
      ],
    },
  ],
});
