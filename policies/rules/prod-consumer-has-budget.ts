import { accessPoliciesByConsumer } from '../indexes.ts';
import { grantsOnlyMcp } from '../mcp-grants.ts';
import type { Rule } from '../rule.ts';

export const prodConsumerHasBudget: Rule = {
  id: 'prod-consumer-has-budget',
  description: 'In production, every consumer that may call something is covered by a monthly budget.',
  rationale: 'A runaway loop or leaked key without a budget spends until the provider invoice arrives.',
  defaultSeverity: 'error',
  reads: { on: ['Consumer'], kinds: ['AccessPolicy'] },
  tiers: ['production'],
  *check(ctx) {
    const policies = ctx.memo(accessPoliciesByConsumer);
    for (const consumer of ctx.byKind('Consumer')) {
      // Tool calls cost nothing the gateway can price: only policies granting models need a budget.
      const own = policies.get(consumer.name)?.filter((p) => !grantsOnlyMcp(p));
      if (!own?.length || own.some((p) => p.value.spec.limits?.monthlyBudgetUsd !== undefined)) continue;
      yield {
        resource: consumer,
        path: ['metadata', 'name'],
        message: `Consumer ${consumer.name} has no monthly budget in production (access policies: ${own.map((p) => p.name).join(', ')}).`,
        hint: 'Set `spec.limits.monthlyBudgetUsd` in one of its access policies.',
      };
    }
  },
};
