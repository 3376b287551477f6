// Policies that grant only MCP tools in the rules about model limits: they need a tool-call limit, not a budget.
import { doc, mcpPolicy, mcpServer } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { accessPolicyHasRateLimit } from './access-policy-has-rate-limit.ts';
import { prodConsumerHasBudget } from './prod-consumer-has-budget.ts';

const consumer = doc('Consumer', 'app', 'apiKeys: []');
const mcpOnly = mcpServer('github') + mcpPolicy('p', '{ name: github, tools: [x] }');

ruleTester.run(accessPolicyHasRateLimit, {
  valid: [
    {
      name: 'a policy granting only MCP tools with callsPerMinute',
      yaml:
        mcpServer('github') +
        doc('AccessPolicy', 'p', 'subjects: { consumers: [app] }\nmcp:\n  servers: [{ name: github, tools: [x] }]\n  callsPerMinute: 30'),
    },
  ],
  invalid: [
    {
      name: 'a policy granting only MCP tools without callsPerMinute, at its mcp',
      yaml: mcpOnly,
      errors: [{ message: 'Access policy p grants MCP tools and sets no calls per minute.', line: 19, column: 5, path: 'spec.mcp' }],
    },
  ],
});

ruleTester.run(prodConsumerHasBudget, {
  valid: [{ name: 'a consumer granted only MCP tools needs no monthly budget in production', yaml: consumer + mcpOnly }],
  invalid: [
    {
      name: 'a consumer granted routes still needs one',
      yaml: consumer + doc('AccessPolicy', 'models', 'subjects: { consumers: [app] }\nroutes: [chat]'),
      errors: [
        {
          message: 'Consumer app has no monthly budget in production (access policies: models).',
          line: 5,
          column: 9,
          resource: 'Consumer/app',
        },
      ],
    },
  ],
});
