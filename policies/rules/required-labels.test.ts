import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { requiredLabels } from './required-labels.ts';

const route = (metadata: string) => doc('Route', 'chat', 'targets: [{provider: a, model: m}]', metadata);

ruleTester.run(requiredLabels, {
  valid: [
    {
      name: 'owner and team labels, and none asked of Environments',
      yaml: route('labels: {owner: ana, team: platform}') + doc('Environment', 'dev', 'tier: development', ''),
    },
  ],
  invalid: [
    {
      name: 'a missing label, at `metadata.labels`',
      yaml: route('labels: {owner: ana}'),
      errors: [{ message: 'Route/chat has no `team` label.', line: 6, column: 11, path: 'metadata.labels' }],
    },
    {
      name: 'no labels at all, at `metadata`',
      yaml: route('description: chat'),
      errors: [{ message: 'Route/chat has no `owner` or `team` label.', line: 5, column: 3, path: 'metadata' }],
    },
  ],
});
