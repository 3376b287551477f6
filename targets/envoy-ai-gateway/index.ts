// The envoy-ai-gateway target: the config as Envoy AI Gateway (v1.1, v1beta1) custom resources plus the Envoy
// Gateway and Gateway API resources they need, for teams that already run Envoy AI Gateway.
import type { IR } from '../../compiler/ir/types.ts';
import { toYamlStream } from '../emit.ts';
import { featureFindings } from '../features.ts';
import type { BuildContext, Target, TargetOutput } from '../target.ts';
import { apiFindings } from './apis.ts';
import { providerManifests } from './backends.ts';
import { GATEWAY_API, meta, type Manifest } from './manifest.ts';
import { mcpManifests } from './mcp.ts';
import { quotaManifests } from './quota.ts';
import { GATEWAY_NAME, routeManifests } from './routes.ts';

const CONTROLLER = 'gateway.envoyproxy.io/gatewayclass-controller';

function gatewayManifests(ir: IR): Manifest[] {
  const { namespace: _clusterScoped, ...classMeta } = meta(ir, GATEWAY_NAME);
  return [
    { apiVersion: GATEWAY_API, kind: 'GatewayClass', metadata: classMeta, spec: { controllerName: CONTROLLER } },
    {
      apiVersion: GATEWAY_API,
      kind: 'Gateway',
      metadata: meta(ir, GATEWAY_NAME),
      spec: { gatewayClassName: GATEWAY_NAME, listeners: [{ name: 'http', protocol: 'HTTP', port: ir.gateway.envoy.port }] },
    },
  ];
}

function unsupported(ir: IR) {
  const noIdentity = "Envoy AI Gateway knows clients only through Envoy Gateway's SecurityPolicy, which this target does not emit";
  const byEjection =
    "each target is a priority level, reached once the route's passive health check ejects the ones before it (3 consecutive 5xx or gateway errors), not on each failed request";
  return [
    ...featureFindings(
      ir,
      'envoy-ai-gateway',
      {
        fallbacks:
          'fallbacks become lower-priority backends, used once passive health checks eject the primary ones (5xx, connect errors); a 429 is retried but does not fail over',
        requestLimits: `${noIdentity}; add a BackendTrafficPolicy rateLimit keyed on your own client header`,
        tokenLimits: `${noIdentity}; a QuotaPolicy caps each backend model at the sum of the token limits of the consumers granted a route to it, for all clients together (uncapped where some grant has no token limit)`,
        mcpGrants: `${noIdentity}; the MCPRoute lets every client use the tools some policy grants (its tool selector is per server), and passes resources and prompts unfiltered`,
        // Envoy retries at the level that failed: a retry reaches the next level only once the first is ejected.
        priorityStrategy: `${byEjection}; a 429 is retried but does not fail over`,
        lowestCostStrategy: `the cheapest target first, at its own priority level; ${byEjection}; a 429 is retried but does not fail over`,
        circuitBreakers:
          "a backend is ejected by its route's passive health check (3 consecutive 5xx or gateway errors, for 30 s, only on routes with lower-priority backends), not by the provider's circuitBreaker settings, and gets all its traffic back after the ejection",
      },
      'target-approximated',
    ),
    ...featureFindings(ir, 'envoy-ai-gateway', {
      prompts: 'Envoy AI Gateway has no prompt templates; serve prompts with the node target',
      cache: 'Envoy AI Gateway has no response cache',
      lowestLatencyStrategy: "backends are chosen by the targets' weights; Envoy AI Gateway does not rank them by latency",
      maxTokens: "requests go upstream with the client's max_tokens",
      aliases: 'each AIGatewayRoute rule matches the route name only, so a request naming an alias gets 404',
      apiKeys: `${noIdentity}; the keys are not checked`,
      grants: `${noIdentity}; grants are not checked`,
      allowedModels: `${noIdentity}; allowed models are not checked`,
      budgets: 'Envoy AI Gateway has no spend budgets',
      redaction: 'requests reach the provider unredacted',
      guardrails: 'requests and answers pass unchecked; serve these consumers with the node target (or Envoy in front mode)',
      mcpCallLimits: 'Envoy AI Gateway has no limit on tool calls per consumer',
      mcpRedaction: 'tool arguments reach the MCP server unredacted',
      mcpPinnedDescriptions: "agents see the servers' own tool descriptions",
      telemetry:
        "Envoy AI Gateway's GenAI traces are set on its controller's deployment (OTEL_EXPORTER_OTLP_* in its Helm values), not in these resources",
    }),
  ];
}

export const envoyAIGatewayTarget: Target = {
  name: 'envoy-ai-gateway',
  description:
    'Envoy AI Gateway resources: AIGatewayRoute, AIServiceBackend, BackendSecurityPolicy, QuotaPolicy, MCPRoute, with the Envoy Gateway and Gateway API resources they need',
  build(ir: IR, context: BuildContext = {}): TargetOutput {
    const { pieces } = context;
    const providers = ir.providers.map((p) => providerManifests(ir, p));
    const routes = routeManifests(ir);
    const mcp = mcpManifests(ir);
    const quotas = quotaManifests(ir, context);
    // Files written only when they hold something, in kustomization order.
    const optional = (
      [
        ['quotas.yaml', quotas.manifests],
        ['mcp.yaml', mcp.manifests],
      ] as const
    ).filter(([, m]) => m.length);
    const files = {
      'gateway.yaml': toYamlStream(gatewayManifests(ir), pieces),
      'backends.yaml': toYamlStream(
        providers.flatMap((p) => p.manifests),
        pieces,
      ),
      'routes.yaml': toYamlStream(routes.manifests, pieces),
      ...Object.fromEntries(optional.map(([file, manifests]) => [file, toYamlStream(manifests, pieces)])),
      'kustomization.yaml': toYamlStream([
        {
          apiVersion: 'kustomize.config.k8s.io/v1beta1',
          kind: 'Kustomization',
          resources: ['gateway.yaml', 'backends.yaml', 'routes.yaml', ...optional.map(([file]) => file)],
        },
      ]),
    };
    return {
      files,
      findings: [
        ...routes.findings,
        ...providers.flatMap((p) => p.findings),
        ...quotas.findings,
        ...mcp.findings,
        ...apiFindings(ir),
        ...unsupported(ir),
      ],
    };
  },
};
