import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { prodLimitStoreOnUnavailable } from './prod-limit-store-on-unavailable.ts';

ruleTester.run(prodLimitStoreOnUnavailable, {
  valid: [
    { name: 'limits in memory', yaml: doc('Gateway', 'gw', 'stores: {limits: {type: memory}}') },
    { name: 'no stores at all', yaml: doc('Gateway', 'gw', 'listen: {port: 8080}') },
    {
      name: 'Redis, fail closed on purpose',
      yaml: doc('Gateway', 'gw', 'stores: {limits: {type: redis, url: env:REDIS_URL, onUnavailable: deny}}'),
    },
    {
      name: 'Redis, fail open on purpose',
      yaml: doc('Gateway', 'gw', 'stores: {limits: {type: redis, url: env:REDIS_URL, onUnavailable: allow}}'),
    },
  ],
  invalid: [
    {
      name: 'Redis without onUnavailable',
      yaml: doc('Gateway', 'gw', 'stores:\n  limits: {type: redis, url: env:REDIS_URL}'),
      errors: [
        {
          message: 'Gateway gw keeps limits in Redis without saying what requests get while Redis is unreachable.',
          line: 9,
          column: 13,
          path: 'spec.stores.limits',
        },
      ],
    },
  ],
});
