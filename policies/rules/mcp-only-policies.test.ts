// Policies that grant only MCP tools in the rules about model limits: they need a tool-call limit, not a budget.
import { describe, expect, it } from 'vitest';
import { doc, findings, mcpPolicy, mcpServer } from '../../test/support/policy-resources.ts';
import { accessPolicyHasRateLimit } from './access-policy-has-rate-limit.ts';
import { prodConsumerHasBudget } from './prod-consumer-has-budget.ts';

const consumer = doc('Consumer', 'app', 'apiKeys: []');

describe('policies granting only MCP tools', () => {
  it('need callsPerMinute, not requests or tokens per minute', () => {
    const limited = mcpServer('github') + doc('AccessPolicy', 'p', 'subjects: { consumers: [app] }\nmcp:\n  servers: [{ name: github, tools: [x] }]\n  callsPerMinute: 30');
    expect(findings(accessPolicyHasRateLimit, limited)).toEqual([]);
    const unlimited = mcpServer('github') + mcpPolicy('p', '{ name: github, tools: [x] }');
    expect(findings(accessPolicyHasRateLimit, unlimited).map((f) => [f.at, f.message])).toEqual([['spec.mcp', 'Access policy p grants MCP tools and sets no calls per minute.']]);
  });

  it('need no monthly budget in production, while a policy granting routes still does', () => {
    expect(findings(prodConsumerHasBudget, consumer + mcpServer('github') + mcpPolicy('p', '{ name: github, tools: [x] }'), 'production')).toEqual([]);
    const both = consumer + doc('AccessPolicy', 'models', 'subjects: { consumers: [app] }\nroutes: [chat]');
    expect(findings(prodConsumerHasBudget, both, 'production').map((f) => f.resource)).toEqual(['Consumer/app']);
  });
});
