import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { prodNoPromptLogging } from './prod-no-prompt-logging.ts';

ruleTester.run(prodNoPromptLogging, {
  valid: [{ name: 'usage logs without prompts', yaml: doc('Gateway', 'gw', 'logging: {usage: {enabled: true}}') }],
  invalid: [
    {
      name: 'includePrompts at its node',
      yaml: doc('Gateway', 'gw', 'logging:\n  usage:\n    includePrompts: true'),
      errors: [
        { message: 'Gateway gw logs request messages in production.', line: 10, column: 23, path: 'spec.logging.usage.includePrompts' },
      ],
    },
  ],
});
