import type { Rule } from '../rule.ts';

export const prodLimitStoreOnUnavailable: Rule = {
  id: 'prod-limit-store-on-unavailable',
  description: 'In production, a Redis limits store says what requests get while Redis is unreachable (`onUnavailable`).',
  rationale:
    'The default, `deny`, turns a Redis outage into an outage of every limited route (503 `limits_unavailable`); `allow` keeps serving but enforces no limit or budget meanwhile. Either is a choice to make on purpose.',
  defaultSeverity: 'warning',
  reads: { kinds: [], on: ['Gateway'] },
  tiers: ['production'],
  *check(ctx) {
    for (const gateway of ctx.byKind('Gateway')) {
      const limits = gateway.value.spec?.stores?.limits;
      if (limits?.type !== 'redis' || limits.onUnavailable !== undefined) continue;
      yield {
        resource: gateway,
        path: ['spec', 'stores', 'limits'],
        message: `Gateway ${gateway.name} keeps limits in Redis without saying what requests get while Redis is unreachable.`,
        hint: 'Set `spec.stores.limits.onUnavailable: deny` (fail closed: 503) or `allow` (fail open: unlimited until Redis is back).',
      };
    }
  },
};
