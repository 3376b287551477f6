import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { prodSharedLimitStore } from './prod-shared-limit-store.ts';

ruleTester.run(prodSharedLimitStore, {
  valid: [
    { name: 'one replica in memory', yaml: doc('Gateway', 'gw', 'kubernetes: {replicas: 1}') },
    {
      name: 'replicas sharing Redis',
      yaml: doc('Gateway', 'gw', 'kubernetes: {replicas: 3}\nstores: {limits: {type: redis, url: env:REDIS_URL}}'),
    },
  ],
  invalid: [
    {
      name: 'replicas with in-memory limits',
      yaml: doc('Gateway', 'gw', 'kubernetes: {replicas: 3}'),
      errors: [
        {
          message: 'Gateway gw runs several replicas but counts rate limits and budgets in memory, per replica.',
          line: 8,
          column: 15,
          path: 'spec.kubernetes',
        },
      ],
    },
    {
      name: 'autoscaling with in-memory limits',
      yaml: doc('Gateway', 'gw', 'kubernetes: {autoscaling: {enabled: true}}\nstores: {limits: {type: memory}}'),
      errors: [
        {
          message: 'Gateway gw runs several replicas but counts rate limits and budgets in memory, per replica.',
          line: 9,
          column: 27,
          path: 'spec.stores.limits.type',
        },
      ],
    },
  ],
});
