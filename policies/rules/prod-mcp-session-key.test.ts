import { doc, mcpServer } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { prodMcpSessionKey } from './prod-mcp-session-key.ts';

const MESSAGE = (replicas: number) =>
  `Gateway gw serves MCP servers on up to ${replicas} replicas, each sealing sessions with a key of its own.`;

ruleTester.run(prodMcpSessionKey, {
  valid: [
    { name: 'no MCP server', yaml: doc('Gateway', 'gw', 'listen: {port: 8080}') },
    { name: 'a shared key', yaml: doc('Gateway', 'gw', 'mcp: {sessionKey: env:MCP_SESSION_KEY}') + mcpServer('github') },
    {
      name: 'one replica, no autoscaling',
      yaml: doc('Gateway', 'gw', 'kubernetes: {replicas: 1, autoscaling: {enabled: false}}') + mcpServer('github'),
    },
    {
      name: 'autoscaling capped at one replica',
      yaml: doc('Gateway', 'gw', 'kubernetes: {replicas: 1, autoscaling: {maxReplicas: 1}}') + mcpServer('github'),
    },
  ],
  invalid: [
    {
      name: 'the defaults: two replicas, autoscaling up to ten',
      yaml: doc('Gateway', 'gw', 'listen: {port: 8080}') + mcpServer('github'),
      errors: [{ message: MESSAGE(10), line: 8, column: 3, path: 'spec' }],
    },
    {
      name: 'three fixed replicas',
      yaml: doc('Gateway', 'gw', 'kubernetes: {replicas: 3, autoscaling: {enabled: false}}') + mcpServer('github'),
      errors: [{ message: MESSAGE(3), line: 8, column: 3 }],
    },
    {
      name: 'an mcp section without the key',
      yaml: doc('Gateway', 'gw', 'mcp: {}') + mcpServer('github'),
      errors: [{ message: MESSAGE(10), line: 8, column: 8, path: 'spec.mcp' }],
    },
  ],
});
