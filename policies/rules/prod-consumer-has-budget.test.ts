import { describe, expect, it } from 'vitest';
import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { prodConsumerHasBudget } from './prod-consumer-has-budget.ts';

const consumer = (name: string) => doc('Consumer', name, 'apiKeys: []', 'labels: {team: billing}');
const access = (name: string, limits: string) =>
  doc('AccessPolicy', name, `subjects: {labels: {team: billing}}\nroutes: [chat]\nlimits: ${limits}`);

ruleTester.run(prodConsumerHasBudget, {
  valid: [
    {
      name: 'a consumer with a budget in one of its policies, and consumers no policy covers',
      yaml:
        consumer('billing') +
        access('rate', '{requestsPerMinute: 60}') +
        access('budget', '{monthlyBudgetUsd: 500}') +
        doc('Consumer', 'idle', 'apiKeys: []'),
    },
  ],
  invalid: [
    {
      name: 'a consumer whose policies set no budget',
      yaml: consumer('billing') + access('rate', '{requestsPerMinute: 60}'),
      errors: [
        {
          message: 'Consumer billing has no monthly budget in production (access policies: rate).',
          line: 5,
          column: 9,
          resource: 'Consumer/billing',
        },
      ],
    },
  ],
});

describe('prod-consumer-has-budget', () => {
  it('runs only in production', () => {
    expect(prodConsumerHasBudget.tiers).toEqual(['production']);
  });
});
