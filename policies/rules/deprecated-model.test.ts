import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { deprecatedModel } from './deprecated-model.ts';

const provider = doc(
  'Provider',
  'openai',
  'type: openai\nbaseUrl: https://x\nmodels: [{name: gpt-4o}, {name: gpt-4-old, deprecated: true}, {name: gpt-3.5-turbo-0613}]',
);

ruleTester.run(deprecatedModel, {
  valid: [
    {
      name: 'current models, and dangling references (the resolver reports those)',
      yaml: provider + doc('Route', 'chat', 'targets: [{provider: openai, model: gpt-4o}, {provider: ghost, model: x}]'),
    },
  ],
  invalid: [
    {
      name: 'models marked deprecated and vendor-retired ones, at the model field',
      yaml:
        provider +
        doc('Route', 'chat', 'targets: [{provider: openai, model: gpt-4-old}]\nfallbacks: [{provider: openai, model: gpt-3.5-turbo-0613}]'),
      errors: [
        { message: 'Route chat uses openai/gpt-4-old, which is marked deprecated.', line: 18, column: 39, path: 'spec.targets[0].model' },
        {
          message: 'Route chat uses openai/gpt-3.5-turbo-0613, which has been retired by its vendor.',
          line: 19,
          column: 41,
          path: 'spec.fallbacks[0].model',
        },
      ],
    },
  ],
});
