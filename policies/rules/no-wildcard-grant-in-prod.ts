import type { Rule } from '../rule.ts';

export const noWildcardGrantInProd: Rule = {
  id: 'no-wildcard-grant-in-prod',
  description: 'In production, no access policy grants every route or prompt (`*`).',
  rationale: "Wildcards grant tomorrow's expensive model and internal prompts to today's consumers without review.",
  defaultSeverity: 'error',
  reads: { kinds: [], on: ['AccessPolicy'] },
  tiers: ['production'],
  *check(ctx) {
    for (const policy of ctx.byKind('AccessPolicy')) {
      const spec = policy.value.spec;
      for (const key of ['routes', 'prompts'] as const) {
        for (const [i, name] of (spec[key] ?? []).entries()) {
          if (name !== '*') continue;
          yield {
            resource: policy,
            path: ['spec', key, i],
            message: `Access policy ${policy.name} grants every ${key === 'routes' ? 'route' : 'prompt'} (\`*\`) in production.`,
            hint: `List the ${key} by name.`,
          };
        }
      }
    }
  },
};
