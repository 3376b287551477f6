// Direct mode: Envoy routes each public model straight to the providers. What Envoy cannot do (Anthropic's
// Messages API, prompt templates, the Messages and Responses ingress APIs) is sent to the Node gateways; what
// nobody does here is reported.
import type { IR, IRProvider, IRRoute } from '../../compiler/ir/types.ts';
import { envoyCredentialDir, protoDuration } from '../emit.ts';
import { featureFindings } from '../features.ts';
import { limitCeiling, limitIndex } from '../limits.ts';
import { rankedTargets } from '../strategy.ts';
import type { BuildContext, TargetFinding } from '../target.ts';
import { agentApiRoutes } from './apis.ts';
import { clusterBreaker } from './breakers.ts';
import { jwtAuth } from './auth.ts';
import {
  GATEWAY_CLUSTER,
  MODEL_HEADER,
  RATE_LIMIT_FILTER,
  TYPE,
  bootstrap,
  gatewayClusterConfig,
  gatewayTimeout,
  localRateLimit,
  modelsRoute,
  notFoundRoute,
  providerCluster,
  providerClusterConfig,
  sdsFile,
  sdsResource,
  sdsSecretConfig,
  setHeaders,
  typed,
  type EnvoyConfig,
  type Json,
} from './config.ts';
import { rewriteScript } from './lua.ts';
import { mcpRoutes } from './mcp.ts';

const ROUTE_PATHS = { chat: '/v1/chat/completions', embeddings: '/v1/embeddings' } as const;
const LUA = 'envoy.filters.http.lua';
/** Headers clients authenticate with; none of them may reach a provider except the one Envoy injects. */
const CLIENT_AUTH_HEADERS = ['api-key', 'authorization', 'x-api-key'];

const credentialFilter = (provider: string): string => `modelgate.credentials.${provider}`;
const credentialSecret = (provider: string): string => `${provider}-credential`;
/** Azure reads the key from `api-key`; OpenAI and compatible servers from `Authorization: Bearer`. */
const credentialHeader = (p: IRProvider): string => (p.type === 'azure-openai' ? 'api-key' : 'authorization');
const scriptName = (provider: string, model: string): string => `${provider}/${model}`;
/** Provider types whose APIs Envoy cannot translate to (nor, for Bedrock, sign for): what a target is, and the API. */
const TRANSLATED: Partial<Record<IRProvider['type'], [target: string, api: string]>> = {
  anthropic: ['an Anthropic', 'the Messages API'],
  bedrock: ['a Bedrock', 'Converse or sign with SigV4'],
  gemini: ['a Gemini', 'the Gemini API'],
};

/** The routes Envoy serves itself (the rest are delegated to the Node gateways) and the providers they send to, sorted. */
function nativeRoutes(ir: IR) {
  const providers = new Map(ir.providers.map((p) => [p.name, p]));
  const delegated = (r: IRRoute) => r.targets.some((t) => TRANSLATED[providers.get(t.provider)!.type]);
  const native = ir.routes.filter((r) => !delegated(r));
  const nativeProviders = [...new Set(native.flatMap((r) => r.targets.map((t) => t.provider)))].sort().map((n) => providers.get(n)!);
  return { providers, delegated, native, nativeProviders, credentialed: nativeProviders.filter((p) => p.credential) };
}

/** The credential files Envoy reads, without building the whole config (the k8s target mounts them). */
export function directCredentials(ir: IR): EnvoyConfig['credentials'] {
  return credentialFiles(nativeRoutes(ir).credentialed);
}

const credentialFiles = (credentialed: readonly IRProvider[]): EnvoyConfig['credentials'] =>
  credentialed.map((p) => ({
    provider: p.name,
    file: `${envoyCredentialDir(p.name)}/credential`,
    value: credentialHeader(p) === 'authorization' ? 'Bearer <key>' : '<key>',
  }));

export function directConfig(ir: IR, context: BuildContext = {}): EnvoyConfig {
  const { providers, delegated, native, nativeProviders, credentialed } = nativeRoutes(ir);
  const delegatedRefs = new Set(ir.routes.filter(delegated).map((r) => `Route/${r.name}`));
  const usesGateway = native.length < ir.routes.length || ir.prompts.length > 0 || Boolean(ir.mcpServers?.length);
  const agentApis = agentApiRoutes(ir, usesGateway);

  const clusterless = new Set(ir.providers.filter((p) => !nativeProviders.includes(p)).map((p) => `Provider/${p.name}`));
  const scripts: Record<string, { inline_string: string }> = {};
  for (const r of native) {
    for (const t of r.targets) {
      // One script per provider model, however many routes send to it (thousands, in a large repo).
      const name = scriptName(t.provider, t.model);
      if (Object.hasOwn(scripts, name)) continue;
      const provider = providers.get(t.provider)!;
      scripts[name] = { inline_string: rewriteScript(provider, provider.models.find((m) => m.name === t.model)!) };
    }
  }

  const { subjects, granting } = limitIndex(ir, context);
  const routeLimits = new Map(native.map((r) => [r.name, limitCeiling(granting([r.name]), 'requestsPerMinute', subjects)]));
  const auth = jwtAuth(ir, ['/v1/models']);
  const httpFilters: Json[] = [
    ...(auth.filter ? [auth.filter] : []),
    ...([...routeLimits.values()].some((l) => l !== undefined)
      ? [{ name: RATE_LIMIT_FILTER, typed_config: typed(TYPE.localRateLimit, { stat_prefix: 'route_limits' }) }]
      : []),
    ...(native.length ? [{ name: LUA, typed_config: typed(TYPE.lua, { source_codes: scripts }) }] : []),
    // Off by default; each weighted cluster turns on the one of its provider.
    ...credentialed.map((p) => ({
      name: credentialFilter(p.name),
      disabled: true,
      typed_config: typed(TYPE.credentialInjector, {
        overwrite: true,
        credential: {
          name: 'envoy.http.injected_credentials.generic',
          typed_config: typed(TYPE.genericCredential, {
            credential: sdsSecretConfig(credentialSecret(p.name), envoyCredentialDir(p.name)),
            header: credentialHeader(p),
          }),
        },
      }),
    })),
  ];

  const routes: Json[] = [
    modelsRoute(ir.routes.map((r) => r.name)),
    ...ir.routes.map((r) => (delegated(r) ? gatewayRoute(r) : nativeRoute(r, providers, routeLimits.get(r.name)))),
    // Prompt endpoints, `/v1/prompts/{name}` and a prompt's own path, and the OpenAPI document of the gateways.
    ...ir.prompts.flatMap((p) => [
      gatewayPath(ir, `prompt-${p.name}`, `/v1/prompts/${p.name}`),
      ...(p.expose ? [gatewayPath(ir, `prompt-api-${p.name}`, p.expose.path)] : []),
    ]),
    ...(usesGateway ? [gatewayPath(ir, 'openapi', '/openapi.json')] : []),
    ...mcpRoutes(ir),
    ...agentApis.routes,
    notFoundRoute(),
  ];
  const clusters = [
    ...nativeProviders.map((p) => providerClusterConfig(providerCluster(p.name), p.baseUrl, clusterBreaker(p.circuitBreaker))),
    ...(usesGateway ? [gatewayClusterConfig(ir)] : []),
  ];

  const sds: Record<string, Json> = {};
  for (const p of credentialed) {
    sds[sdsFile(credentialSecret(p.name))] = sdsResource({
      name: credentialSecret(p.name),
      generic_secret: { secret: { filename: `${envoyCredentialDir(p.name)}/credential` } },
    });
  }

  return {
    bootstrap: bootstrap(ir, { routes, httpFilters, clusters, perConnectionBufferBytes: ir.gateway.limits.maxBodyBytes }),
    sds,
    credentials: credentialFiles(credentialed),
    findings: [
      ...auth.findings,
      ...delegationFindings(ir, providers),
      ...agentApis.findings,
      // The Node gateways apply every setting of the routes delegated to them.
      // Providers with no cluster of their own (only delegated routes use them) are the Node gateways' too.
      ...directFindings(ir).filter((f) => !delegatedRefs.has(f.resource) && !clusterless.has(f.resource)),
      // Even those Envoy picks by the route's name, before any gateway sees the request.
      ...featureFindings(ir, 'envoy', {
        aliases:
          'Envoy matches the route name in the model header, so a request naming an alias gets 404; front mode has the Node gateways resolve aliases',
      }),
    ],
  };
}

function nativeRoute(r: IRRoute, providers: Map<string, IRProvider>, ceiling: number | undefined): Json {
  const perTryMs = Math.min(r.timeoutMs, Math.max(...r.targets.map((t) => providers.get(t.provider)!.timeoutMs)));
  // A ranked strategy sends everything to its first target: each cluster has its own request rewrite, so Envoy
  // cannot fail over from one to the next (reported, as fallbacks are).
  const ranked = rankedTargets(r, providers);
  const clusters = (ranked ? [{ ...ranked[0]!, weight: 100 }] : r.targets.filter((t) => t.weight > 0)).map((t) => {
    const p = providers.get(t.provider)!;
    return {
      name: providerCluster(p.name),
      weight: t.weight,
      typed_per_filter_config: {
        [LUA]: typed(TYPE.luaPerRoute, { name: scriptName(p.name, t.model) }),
        ...(p.credential ? { [credentialFilter(p.name)]: typed(TYPE.filterConfig, { config: {} }) } : {}),
      },
      ...(Object.keys(p.headers).length ? { request_headers_to_add: setHeaders(p.headers) } : {}),
      request_headers_to_remove: CLIENT_AUTH_HEADERS.filter((h) => !(p.credential && h === credentialHeader(p))),
    };
  });
  return {
    name: `route-${r.name}`,
    match: modelMatch(r),
    route: {
      weighted_clusters: { clusters },
      timeout: protoDuration(r.timeoutMs),
      auto_host_rewrite: true,
      retry_policy: retryPolicy(r, perTryMs),
    },
    ...(ceiling !== undefined ? { typed_per_filter_config: { [RATE_LIMIT_FILTER]: localRateLimit(`route_${r.name}`, ceiling) } } : {}),
  };
}

/** The whole route goes to the Node gateway, which translates and applies every policy itself. */
function gatewayRoute(r: IRRoute): Json {
  return { name: `route-${r.name}`, match: modelMatch(r), route: { cluster: GATEWAY_CLUSTER, timeout: gatewayTimeout(r.timeoutMs) } };
}

/** The route's OpenAI endpoint, for requests naming the route in the model header. */
function modelMatch(r: IRRoute): Json {
  return { path: ROUTE_PATHS[r.type], headers: [{ name: MODEL_HEADER, string_match: { exact: r.name } }] };
}

function retryPolicy(r: IRRoute, perTryMs: number): Json {
  const on = [
    ...(r.retry.onReset ? ['reset', 'connect-failure'] : []),
    ...(r.retry.onTimeout ? ['gateway-error'] : []),
    ...(r.retry.statuses.length ? ['retriable-status-codes'] : []),
  ];
  return {
    retry_on: on.join(',') || 'connect-failure',
    num_retries: r.retry.attempts,
    per_try_timeout: protoDuration(perTryMs),
    ...(r.retry.statuses.length ? { retriable_status_codes: r.retry.statuses } : {}),
    retry_back_off: { base_interval: protoDuration(r.retry.backoffMs), max_interval: protoDuration(r.retry.backoffMs * 10) },
  };
}

function delegationFindings(ir: IR, providers: Map<string, IRProvider>): TargetFinding[] {
  const viaGateway = `Envoy sends it to the Node gateways (cluster ${GATEWAY_CLUSTER}), which must run next to Envoy`;
  const routes = ir.routes.flatMap((r): TargetFinding[] => {
    const i = r.targets.findIndex((t) => TRANSLATED[providers.get(t.provider)!.type]);
    if (i < 0) return [];
    const [target, api] = TRANSLATED[providers.get(r.targets[i]!.provider)!.type]!;
    return [
      {
        ruleId: 'target-delegated',
        severity: 'warning',
        resource: `Route/${r.name}`,
        path: ['spec', 'targets', i],
        message: `route ${r.name} has ${target} target, and Envoy cannot translate to ${api}: ${viaGateway}`,
      },
    ];
  });
  return [...routes, ...featureFindings(ir, 'envoy', { prompts: viaGateway, mcpServers: viaGateway }, 'target-delegated')];
}

function directFindings(ir: IR): TargetFinding[] {
  const unenforced = 'not enforced in direct mode; front mode (Gateway spec.envoy.mode) has the Node gateways enforce it';
  const noFailover =
    'Envoy does not fail over to the next one (each provider needs its own request rewrite); use front mode to keep the order';
  return [
    ...featureFindings(
      ir,
      'envoy',
      {
        fallbacks: 'Envoy retries the chosen target only (each provider needs its own request rewrite); use front mode to keep fallbacks',
        priorityStrategy: `every request goes to the first target; ${noFailover}`,
        lowestCostStrategy: `every request goes to the cheapest target; ${noFailover}`,
        circuitBreakers:
          "the provider cluster's outlier detection ejects the provider for all its models at once, lets all traffic back after openFor instead of halfOpenProbes probes, and while it is ejected the requests sent to it get a 503 at once instead of moving to another target",
        requestLimits:
          "Envoy applies one ceiling per route and Envoy instance (the sum of the granted consumers' limits), not a limit per consumer",
      },
      'target-approximated',
    ),
    ...featureFindings(ir, 'envoy', {
      apiKeys: `Envoy cannot check API-key hashes, so requests are not authenticated; ${unenforced}`,
      grants: unenforced,
      allowedModels: unenforced,
      tokenLimits: unenforced,
      budgets: unenforced,
      redaction: `requests reach the provider unredacted, ${unenforced}`,
      guardrails: `requests and answers pass unchecked, ${unenforced}`,
      cache: 'every request goes upstream',
      lowestLatencyStrategy: "Envoy splits the requests by the targets' weights; use front mode to route by latency",
      maxTokens: unenforced,
      telemetry: 'requests Envoy sends straight to providers make no span; front mode has the Node gateways trace them',
    }),
  ];
}

/** A path the Node gateways serve whole. */
function gatewayPath(ir: IR, name: string, path: string): Json {
  return { name, match: { path }, route: { cluster: GATEWAY_CLUSTER, timeout: gatewayTimeout(ir.gateway.limits.requestTimeoutMs) } };
}
