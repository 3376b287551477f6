import { describe, expect, it } from 'vitest';
import { doc, findings } from '../../test/support/policy-resources.ts';
import { prodConsumerHasBudget } from './prod-consumer-has-budget.ts';

const consumer = (name: string) => doc('Consumer', name, 'apiKeys: []', 'labels: {team: billing}');
const access = (name: string, limits: string) => doc('AccessPolicy', name, `subjects: {labels: {team: billing}}\nroutes: [chat]\nlimits: ${limits}`);

describe('prod-consumer-has-budget', () => {
  it('accepts a consumer with a budget in one of its policies, and skips consumers no policy covers', () => {
    const yaml = consumer('billing') + access('rate', '{requestsPerMinute: 60}') + access('budget', '{monthlyBudgetUsd: 500}') + doc('Consumer', 'idle', 'apiKeys: []');
    expect(findings(prodConsumerHasBudget, yaml, 'production')).toEqual([]);
  });

  it('flags a consumer whose policies set no budget', () => {
    const found = findings(prodConsumerHasBudget, consumer('billing') + access('rate', '{requestsPerMinute: 60}'), 'production');
    expect(found.map((f) => [f.resource, f.message])).toEqual([
      ['Consumer/billing', 'Consumer billing has no monthly budget in production (access policies: rate).'],
    ]);
    expect(prodConsumerHasBudget.tiers).toEqual(['production']);
  });
});
