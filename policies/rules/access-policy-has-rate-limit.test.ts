import { describe, expect, it } from 'vitest';
import { doc, findings } from '../../test/support/policy-resources.ts';
import { accessPolicyHasRateLimit } from './access-policy-has-rate-limit.ts';

const access = (limits: string) => doc('AccessPolicy', 'apps', `subjects: {consumers: [app]}\nroutes: [chat]${limits}`);

describe('access-policy-has-rate-limit', () => {
  it('accepts requests or tokens per minute', () => {
    expect(findings(accessPolicyHasRateLimit, access('\nlimits: {tokensPerMinute: 50000}'))).toEqual([]);
    expect(findings(accessPolicyHasRateLimit, access('\nlimits: {requestsPerMinute: 60}'))).toEqual([]);
  });

  it('flags a budget-only or limit-less policy', () => {
    expect(findings(accessPolicyHasRateLimit, access('\nlimits: {monthlyBudgetUsd: 10}')).map((f) => f.at)).toEqual(['spec.limits']);
    expect(findings(accessPolicyHasRateLimit, access('')).map((f) => f.at)).toEqual(['spec.subjects']);
  });
});
