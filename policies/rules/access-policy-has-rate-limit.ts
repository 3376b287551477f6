import { grantsOnlyMcp } from '../mcp-grants.ts';
import type { Rule } from '../rule.ts';

export const accessPolicyHasRateLimit: Rule = {
  id: 'access-policy-has-rate-limit',
  description: 'Every access policy sets requestsPerMinute or tokensPerMinute, and callsPerMinute when it grants MCP tools.',
  rationale: 'Without a rate limit one consumer can exhaust the shared provider quota (429s), or an MCP server, for everyone else.',
  defaultSeverity: 'warning',
  reads: { kinds: [], on: ['AccessPolicy'] },
  *check(ctx) {
    for (const policy of ctx.byKind('AccessPolicy')) {
      const { limits, mcp } = policy.value.spec;
      if (mcp?.servers?.length && mcp.callsPerMinute === undefined) {
        yield {
          resource: policy,
          path: ['spec', 'mcp'],
          message: `Access policy ${policy.name} grants MCP tools and sets no calls per minute.`,
          hint: 'Add `spec.mcp.callsPerMinute`.',
        };
      }
      if (grantsOnlyMcp(policy) || limits?.requestsPerMinute !== undefined || limits?.tokensPerMinute !== undefined) continue;
      yield {
        resource: policy,
        path: limits ? ['spec', 'limits'] : ['spec', 'subjects'],
        message: `Access policy ${policy.name} sets no requests or tokens per minute.`,
        hint: 'Add `spec.limits.requestsPerMinute` and/or `spec.limits.tokensPerMinute`.',
      };
    }
  },
};
