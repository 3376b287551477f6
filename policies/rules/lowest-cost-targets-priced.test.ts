import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { lowestCostTargetsPriced as rule } from './lowest-cost-targets-priced.ts';

const provider = doc(
  'Provider',
  'openai',
  'type: openai\nbaseUrl: https://x\nmodels:\n  - {name: gpt-4o, inputPricePer1M: 2.5, outputPricePer1M: 10}\n  - {name: local, inputPricePer1M: 0}',
);
const route = (strategy: string, model: string) =>
  doc('Route', 'chat', `strategy: ${strategy}\ntargets:\n  - {provider: openai, model: gpt-4o}\n  - {provider: openai, model: ${model}}`);

ruleTester.run(rule, {
  valid: [
    { name: 'a lowest-cost route over priced models', yaml: provider + route('lowest-cost', 'gpt-4o') },
    { name: 'a model without prices on a route of another strategy', yaml: provider + route('priority', 'local') },
    {
      name: 'embedding models with an input price only',
      yaml:
        doc(
          'Provider',
          'openai',
          'type: openai\nbaseUrl: https://x\nmodels:\n  - {name: e1, type: embeddings, inputPricePer1M: 0.02}\n  - {name: e2, type: embeddings, inputPricePer1M: 0.13}',
        ) +
        doc(
          'Route',
          'embed',
          'type: embeddings\nstrategy: lowest-cost\ntargets:\n  - {provider: openai, model: e1}\n  - {provider: openai, model: e2}',
        ),
    },
  ],
  invalid: [
    {
      name: 'a lowest-cost target without an output price',
      yaml: provider + route('lowest-cost', 'local'),
      errors: [
        {
          message: 'Route chat is lowest-cost, but model local of provider openai has no outputPricePer1M.',
          line: 23,
          column: 7,
          resource: 'Route/chat',
          path: 'spec.targets[1]',
        },
      ],
    },
  ],
});
