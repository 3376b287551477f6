import { accessPoliciesByConsumer } from '../indexes.ts';
import type { Rule } from '../rule.ts';

export const noUnusedConsumers: Rule = {
  id: 'no-unused-consumers',
  description: 'Every consumer is a subject of some access policy, by name or by labels.',
  rationale: 'A consumer no policy covers holds live API keys that can call nothing: forgotten credentials waiting to be reused.',
  defaultSeverity: 'warning',
  reads: { on: ['Consumer'], kinds: ['AccessPolicy'] },
  referredToBy: ['AccessPolicy'],
  *check(ctx) {
    const policies = ctx.memo(accessPoliciesByConsumer);
    for (const consumer of ctx.byKind('Consumer')) {
      if (policies.has(consumer.name)) continue;
      yield {
        resource: consumer,
        path: ['metadata', 'name'],
        message: `Consumer ${consumer.name} is the subject of no access policy, so its keys can call nothing.`,
        hint: "Name it (or match its labels) in an AccessPolicy's `spec.subjects`, or delete it.",
      };
    }
  },
};
