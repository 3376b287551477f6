import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { noUnusedProviders } from './no-unused-providers.ts';

const provider = (name: string) => doc('Provider', name, 'type: openai-compatible\nbaseUrl: http://x\nmodels: [{name: m}]');

ruleTester.run(noUnusedProviders, {
  valid: [
    {
      name: 'providers used as target or as fallback',
      yaml:
        provider('a') + provider('b') + doc('Route', 'chat', 'targets: [{provider: a, model: m}]\nfallbacks: [{provider: b, model: m}]'),
    },
  ],
  invalid: [
    {
      name: 'a provider no route uses, at its name',
      yaml: provider('a') + provider('old') + doc('Route', 'chat', 'targets: [{provider: a, model: m}, {provider: ghost, model: m}]'),
      errors: [{ message: 'Provider old is not used by any route.', line: 15, column: 9, resource: 'Provider/old', path: 'metadata.name' }],
    },
  ],
});
