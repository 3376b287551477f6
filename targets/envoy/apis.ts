// The Anthropic Messages and OpenAI Responses APIs in direct mode. Envoy cannot translate either to a provider, so
// they go whole to the Node gateways when some already run next to Envoy, as translated routes do; otherwise they
// fall through to the 404 and the build says so. Front mode needs nothing: its catch-all reaches the gateways.
import type { IR } from '../../compiler/ir/types.ts';
import type { TargetFinding } from '../target.ts';
import { GATEWAY_CLUSTER, gatewayTimeout, type Json } from './config.ts';

/** `path_separated_prefix` also takes `/v1/messages/count_tokens` and `/v1/responses/{id}` (GET and DELETE). */
const PATHS = { messages: '/v1/messages', responses: '/v1/responses' } as const;
const APIS = `the Anthropic Messages API (${PATHS.messages}, with count_tokens) and the OpenAI Responses API (${PATHS.responses})`;

export function agentApiRoutes(ir: IR, gatewayDeployed: boolean): { routes: Json[]; findings: TargetFinding[] } {
  if (!ir.routes.some((r) => r.type === 'chat')) return { routes: [], findings: [] };
  const finding = { severity: 'warning' as const, resource: `Gateway/${ir.gateway.name}`, path: ['spec', 'envoy', 'mode'] };
  if (!gatewayDeployed) {
    return {
      routes: [],
      findings: [
        {
          ...finding,
          ruleId: 'target-unsupported',
          message: `the envoy target in direct mode cannot serve ${APIS}: Envoy cannot translate them to providers and this config runs no Node gateway next to it, so they get 404`,
          hint: 'use front mode (Gateway spec.envoy.mode: front) to serve them through the Node gateways',
        },
      ],
    };
  }
  const timeout = gatewayTimeout(ir.gateway.limits.requestTimeoutMs);
  return {
    routes: Object.entries(PATHS).map(([name, path]) => ({
      name,
      match: { path_separated_prefix: path },
      route: { cluster: GATEWAY_CLUSTER, timeout },
    })),
    findings: [
      {
        ...finding,
        ruleId: 'target-delegated',
        message: `Envoy cannot translate ${APIS} to providers: Envoy sends them to the Node gateways (cluster ${GATEWAY_CLUSTER}), which apply every policy of the route they name`,
      },
    ],
  };
}
