import { SCHEMA_DEFAULTS } from '../../schema/values.ts';
import type { Rule } from '../rule.ts';

const G = SCHEMA_DEFAULTS.Gateway;

export const prodMcpSessionKey: Rule = {
  id: 'prod-mcp-session-key',
  description: 'In production, a gateway that serves MCP servers on more than one replica seals sessions with a shared key.',
  rationale:
    'Without `spec.mcp.sessionKey` each replica seals Mcp-Session-Id tokens with a key of its own, so an agent whose next request lands on another replica (or on a restarted one) is told its session is gone and must initialize again; only sticky sessions avoid it.',
  defaultSeverity: 'warning',
  reads: { on: ['Gateway'], kinds: ['McpServer'] },
  tiers: ['production'],
  *check(ctx) {
    if (ctx.byKind('McpServer').length === 0) return;
    for (const gateway of ctx.byKind('Gateway')) {
      const spec = gateway.value.spec;
      if (spec?.mcp?.sessionKey !== undefined) continue;
      const k8s = spec?.kubernetes;
      const autoscaling =
        (k8s?.autoscaling?.enabled ?? G['spec.kubernetes.autoscaling.enabled'])
          ? (k8s?.autoscaling?.maxReplicas ?? G['spec.kubernetes.autoscaling.maxReplicas'])
          : 1;
      const replicas = Math.max(k8s?.replicas ?? G['spec.kubernetes.replicas'], autoscaling);
      if (replicas <= 1) continue;
      yield {
        resource: gateway,
        path: spec?.mcp ? ['spec', 'mcp'] : ['spec'],
        message: `Gateway ${gateway.name} serves MCP servers on up to ${replicas} replicas, each sealing sessions with a key of its own.`,
        hint: 'Set `spec.mcp.sessionKey` to a secret reference (32 characters or more, the same for every replica), or route each agent to one replica (sticky sessions).',
      };
    }
  },
};
