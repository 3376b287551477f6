import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { accessPolicyHasRateLimit } from './access-policy-has-rate-limit.ts';

const access = (limits: string) => doc('AccessPolicy', 'apps', `subjects: {consumers: [app]}\nroutes: [chat]${limits}`);

ruleTester.run(accessPolicyHasRateLimit, {
  valid: [
    { name: 'tokens per minute', yaml: access('\nlimits: {tokensPerMinute: 50000}') },
    { name: 'requests per minute', yaml: access('\nlimits: {requestsPerMinute: 60}') },
  ],
  invalid: [
    {
      name: 'a budget-only policy, at its limits',
      yaml: access('\nlimits: {monthlyBudgetUsd: 10}'),
      errors: [{ message: 'Access policy apps sets no requests or tokens per minute.', line: 10, column: 11, path: 'spec.limits' }],
    },
    {
      name: 'a policy without limits, at its subjects',
      yaml: access(''),
      errors: [{ message: 'Access policy apps sets no requests or tokens per minute.', line: 8, column: 13, path: 'spec.subjects' }],
    },
  ],
});
