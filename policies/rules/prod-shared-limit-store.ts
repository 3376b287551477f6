import type { Rule } from '../rule.ts';

export const prodSharedLimitStore: Rule = {
  id: 'prod-shared-limit-store',
  description: 'In production, a gateway running more than one replica keeps rate limits and budgets in Redis.',
  rationale: 'With the in-memory store each replica counts alone: N replicas let a consumer through N times its limit and budget.',
  defaultSeverity: 'error',
  reads: { kinds: [], on: ['Gateway'] },
  tiers: ['production'],
  *check(ctx) {
    for (const gateway of ctx.byKind('Gateway')) {
      const spec = gateway.value.spec ?? {};
      const k8s = spec.kubernetes;
      const replicated = (k8s?.replicas ?? 1) > 1 || k8s?.autoscaling?.enabled === true;
      if (!replicated || spec.stores?.limits?.type === 'redis') continue;
      yield {
        resource: gateway,
        path: spec.stores?.limits ? ['spec', 'stores', 'limits', 'type'] : ['spec', 'kubernetes'],
        message: `Gateway ${gateway.name} runs several replicas but counts rate limits and budgets in memory, per replica.`,
        hint: 'Set `spec.stores.limits: {type: redis, url: env:REDIS_URL}`.',
      };
    }
  },
};
