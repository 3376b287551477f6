import { providersOf, referencedProviders } from '../indexes.ts';
import type { Rule } from '../rule.ts';

export const noUnusedProviders: Rule = {
  id: 'no-unused-providers',
  description: 'Every provider is a target or fallback of some route.',
  rationale: 'An unused provider still ships its credential to every gateway replica and hides stale config in reviews.',
  defaultSeverity: 'warning',
  reads: { on: ['Provider'], kinds: [], parts: { Route: providersOf } },
  referredToBy: ['Route'],
  *check(ctx) {
    const used = ctx.memo(referencedProviders);
    for (const provider of ctx.byKind('Provider')) {
      if (used.has(provider.name)) continue;
      yield {
        resource: provider,
        path: ['metadata', 'name'],
        message: `Provider ${provider.name} is not used by any route.`,
        hint: 'Route traffic to it, or delete it (and its credential).',
      };
    }
  },
};
