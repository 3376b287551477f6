import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { routeWeightsSum100 } from './route-weights-sum-100.ts';

const route = (targets: string) => doc('Route', 'chat', `targets:\n${targets}`);

ruleTester.run(routeWeightsSum100, {
  valid: [
    { name: 'no weights', yaml: route('  - {provider: a, model: m}\n  - {provider: b, model: m}') },
    { name: 'weights summing to 100', yaml: route('  - {provider: a, model: m, weight: 70}\n  - {provider: b, model: m, weight: 30}') },
  ],
  invalid: [
    {
      name: 'a sum other than 100, at the list',
      yaml: route('  - {provider: a, model: m, weight: 70}\n  - {provider: b, model: m, weight: 20}'),
      errors: [{ message: "The weights of route chat's targets sum to 90, not 100.", line: 9, column: 5, path: 'spec.targets' }],
    },
    {
      name: 'the entry without weight when others have one',
      yaml: route('  - {provider: a, model: m, weight: 100}\n  - {provider: b, model: m}'),
      errors: [
        {
          message: "This entry of route chat's targets has no weight while others have one.",
          line: 10,
          column: 7,
          path: 'spec.targets[1]',
        },
      ],
    },
  ],
});
