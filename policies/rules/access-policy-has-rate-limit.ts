import type { Rule } from '../rule.ts';

export const accessPolicyHasRateLimit: Rule = {
  id: 'access-policy-has-rate-limit',
  description: 'Every access policy sets requestsPerMinute or tokensPerMinute.',
  rationale: 'Without a rate limit one consumer can exhaust the shared provider quota (429s) for everyone else.',
  defaultSeverity: 'warning',
  *check(ctx) {
    for (const policy of ctx.byKind('AccessPolicy')) {
      const limits = policy.value.spec.limits;
      if (limits?.requestsPerMinute !== undefined || limits?.tokensPerMinute !== undefined) continue;
      yield {
        resource: policy,
        path: limits ? ['spec', 'limits'] : ['spec', 'subjects'],
        message: `Access policy ${policy.name} sets no requests or tokens per minute.`,
        hint: 'Add `spec.limits.requestsPerMinute` and/or `spec.limits.tokensPerMinute`.',
      };
    }
  },
};
