// Builds the IR from the effective, schema-valid, reference-checked resources of one environment.
import type * as T from '../../schema/types.ts';
import type { EnvironmentInfo } from '../environments/apply.ts';
import type { AnyResource } from '../../kernel/resource.ts';
import { indexResources } from '../resolve/index-resources.ts';
import { parseDuration } from '../../kernel/duration.ts';
import { EVERY } from '../../kernel/grants.ts';
import { parseSecretRef } from '../../kernel/secret-env.ts';
import { defaultRequestSchema } from './prompt-contract.ts';
import { routeAliases } from './route-aliases.ts';
import type { Kind } from '../../schema/kinds.ts';
import { SCHEMA_DEFAULTS } from '../../schema/values.ts';
import type {
  IR,
  IRAlerts,
  IRAccessPolicy,
  IRAws,
  IRCircuitBreaker,
  IRConsumer,
  IRGateway,
  IRMcpServer,
  IRPrompt,
  IRPromptExpose,
  IRProvider,
  IRResponseStore,
  IRRoute,
  IRLimitStore,
  IROtlpTraces,
  IRStore,
  SecretRef,
} from './types.ts';
import { buildGuardrail } from './guardrails.ts';
import { buildMcpAccess, buildMcpServer } from './mcp.ts';

// Every value a resource leaves out is its schema's `default` (test/schema-defaults.test.ts checks each one).
const { Gateway: G, Provider: P, Route: R, Prompt: PR, Consumer: C, AccessPolicy: A } = SCHEMA_DEFAULTS;

const byName = <X extends { name: string }>(a: X, b: X): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const sortedNames = (names: Iterable<string>): string[] => [...new Set(names)].sort();

export function buildIR(resources: readonly AnyResource[], environment: EnvironmentInfo): IR {
  const index = indexResources(resources);
  const gatewayResource = [...index.Gateway.values()][0];
  const routes = [...index.Route.values()].map((r) => buildRoute(r.name, r.value)).sort(byName);
  const prompts = [...index.Prompt.values()].map((r) => buildPrompt(r.name, r.value)).sort(byName);
  const consumers = [...index.Consumer.values()].map((r) => buildConsumer(r.name, r.value)).sort(byName);
  const mcpServers = [...index.McpServer.values()].map((r) => buildMcpServer(r.name, r.value)).sort(byName);
  const guardrails = [...index.Guardrail.values()].map((r) => buildGuardrail(r.name, r.value)).sort(byName);
  return {
    irVersion: 3,
    environment,
    gateway: buildGateway(gatewayResource?.name ?? 'modelgate', gatewayResource?.value.spec ?? {}),
    providers: [...index.Provider.values()].map((r) => buildProvider(r.name, r.value)).sort(byName),
    routes,
    prompts,
    consumers,
    accessPolicies: [...index.AccessPolicy.values()].map((r) => buildAccessPolicy(r.name, r.value, mcpServers)).sort(byName),
    ...(mcpServers.length ? { mcpServers } : {}),
    ...(guardrails.length ? { guardrails } : {}),
  };
}

function labelsOf(r: { kind: Kind; metadata: T.Metadata }): Record<string, string> {
  return { ...(r.metadata.labels ?? SCHEMA_DEFAULTS[r.kind]['metadata.labels']) } as Record<string, string>;
}

function buildStore(store: T.Store | undefined, at: 'spec.stores.cache'): IRStore {
  return storeOf({ ...G[at], ...store }, at);
}

function buildLimitStore(store: T.LimitStore | undefined): IRLimitStore {
  const at = 'spec.stores.limits';
  const built = storeOf({ ...G[at], ...store }, at);
  if (built.type === 'memory') return built;
  return { ...built, onUnavailable: store?.onUnavailable ?? G[`${at}.onUnavailable`] };
}

function storeOf(
  { type, url, keyPrefix, maxEntries }: T.Store,
  at: 'spec.stores.limits' | 'spec.stores.cache' | 'spec.stores.responses',
): IRStore {
  if (type === 'redis') return { type, url: parseSecretRef(url!), keyPrefix: keyPrefix ?? G[`${at}.keyPrefix`] };
  return { type, maxEntries: maxEntries ?? G[`${at}.maxEntries`] };
}

/** None unless configured: without it the Responses API keeps no conversations. */
function buildResponseStore(store: T.ResponseStore | undefined): { responses?: IRResponseStore } {
  if (!store) return {};
  return { responses: { ...storeOf(store, 'spec.stores.responses'), ttlMs: parseDuration(store.ttl ?? G['spec.stores.responses.ttl']) } };
}

/** None unless an OTLP endpoint is configured; header names lower-cased and sorted, so the IR does not depend on their order. */
function buildTelemetry(otlp: T.OtlpTraces | undefined): { telemetry?: { otlp: IROtlpTraces } } {
  if (!otlp) return {};
  const headers = Object.entries<string>(otlp.headers ?? G['spec.telemetry.otlp.headers'])
    .map(([name, ref]): [string, SecretRef] => [name.toLowerCase(), parseSecretRef(ref)])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    telemetry: {
      otlp: {
        endpoint: otlp.endpoint,
        headers: Object.fromEntries(headers),
        samplingRatio: otlp.samplingRatio ?? G['spec.telemetry.otlp.samplingRatio'],
        serviceName: otlp.serviceName ?? G['spec.telemetry.otlp.serviceName'],
      },
    },
  };
}

export function buildGateway(name: string, spec: T.GatewaySpec): IRGateway {
  const k8s = spec.kubernetes ?? {};
  return {
    name,
    listen: { host: spec.listen?.host ?? G['spec.listen.host'], port: spec.listen?.port ?? G['spec.listen.port'] },
    limits: {
      maxBodyBytes: spec.limits?.maxBodyBytes ?? G['spec.limits.maxBodyBytes'],
      maxResponseBytes: spec.limits?.maxResponseBytes ?? G['spec.limits.maxResponseBytes'],
      requestTimeoutMs: parseDuration(spec.limits?.requestTimeout ?? G['spec.limits.requestTimeout']),
      headersTimeoutMs: parseDuration(spec.limits?.headersTimeout ?? G['spec.limits.headersTimeout']),
    },
    auth: {
      jwt: (spec.auth?.jwt ?? G['spec.auth.jwt']).map((j) => ({
        issuer: j.issuer,
        audiences: [...(j.audiences ?? G['spec.auth.jwt[].audiences'])],
        algorithms: [...(j.algorithms ?? G['spec.auth.jwt[].algorithms'])],
        ...(j.secret ? { secret: parseSecretRef(j.secret) } : {}),
        ...(j.publicKey ? { publicKey: j.publicKey } : {}),
      })),
    },
    stores: {
      limits: buildLimitStore(spec.stores?.limits),
      cache: buildStore(spec.stores?.cache, 'spec.stores.cache'),
      ...buildResponseStore(spec.stores?.responses),
    },
    logging: {
      level: spec.logging?.level ?? G['spec.logging.level'],
      usage: {
        enabled: spec.logging?.usage?.enabled ?? G['spec.logging.usage.enabled'],
        path: spec.logging?.usage?.path ?? G['spec.logging.usage.path'],
        includePrompts: spec.logging?.usage?.includePrompts ?? G['spec.logging.usage.includePrompts'],
      },
    },
    metrics: { enabled: spec.metrics?.enabled ?? G['spec.metrics.enabled'], path: spec.metrics?.path ?? G['spec.metrics.path'] },
    ...buildTelemetry(spec.telemetry?.otlp),
    mcp: spec.mcp?.sessionKey ? { sessionKey: parseSecretRef(spec.mcp.sessionKey) } : {},
    kubernetes: {
      namespace: k8s.namespace ?? G['spec.kubernetes.namespace'],
      image: k8s.image ?? G['spec.kubernetes.image'],
      replicas: k8s.replicas ?? G['spec.kubernetes.replicas'],
      resources: {
        requests: { ...(k8s.resources?.requests ?? G['spec.kubernetes.resources.requests']) },
        limits: { ...(k8s.resources?.limits ?? G['spec.kubernetes.resources.limits']) },
      },
      autoscaling: {
        enabled: k8s.autoscaling?.enabled ?? G['spec.kubernetes.autoscaling.enabled'],
        maxReplicas: k8s.autoscaling?.maxReplicas ?? G['spec.kubernetes.autoscaling.maxReplicas'],
        targetCPUUtilization: k8s.autoscaling?.targetCPUUtilization ?? G['spec.kubernetes.autoscaling.targetCPUUtilization'],
      },
    },
    envoy: {
      mode: spec.envoy?.mode ?? G['spec.envoy.mode'],
      port: spec.envoy?.port ?? G['spec.envoy.port'],
      adminPort: spec.envoy?.adminPort ?? G['spec.envoy.adminPort'],
      image: spec.envoy?.image ?? G['spec.envoy.image'],
    },
    alerts: buildAlerts(spec.alerts ?? {}),
  };
}

function buildAlerts(a: T.GatewayAlerts): IRAlerts {
  return {
    enabled: a.enabled ?? G['spec.alerts.enabled'],
    dashboard: a.dashboard ?? G['spec.alerts.dashboard'],
    forMs: parseDuration(a.for ?? G['spec.alerts.for']),
    labels: { ...(a.labels ?? G['spec.alerts.labels']) },
    resourceLabels: { ...(a.resourceLabels ?? G['spec.alerts.resourceLabels']) },
    errorRatio: a.errorRatio ?? G['spec.alerts.errorRatio'],
    providerFailureRatio: a.providerFailureRatio ?? G['spec.alerts.providerFailureRatio'],
    latencyRatioOfTimeout: a.latencyRatioOfTimeout ?? G['spec.alerts.latencyRatioOfTimeout'],
    tokensPerMinuteRatio: a.tokensPerMinuteRatio ?? G['spec.alerts.tokensPerMinuteRatio'],
    budgetProjection: a.budgetProjection ?? G['spec.alerts.budgetProjection'],
    budgetWindowMs: parseDuration(a.budgetWindow ?? G['spec.alerts.budgetWindow']),
    disable: [...(a.disable ?? G['spec.alerts.disable'])],
  };
}

export function buildProvider(name: string, r: T.Provider): IRProvider {
  const s = r.spec;
  return {
    name,
    labels: labelsOf(r),
    type: s.type,
    baseUrl: (s.baseUrl ?? defaultBaseUrl(s)).replace(/\/+$/, ''),
    credential: s.credential ? parseSecretRef(s.credential) : null,
    ...(s.apiVersion ? { apiVersion: s.apiVersion } : {}),
    timeoutMs: parseDuration(s.timeout ?? P['spec.timeout']),
    retries: s.retries ?? P['spec.retries'],
    headers: { ...(s.headers ?? P['spec.headers']) },
    circuitBreaker: buildCircuitBreaker(s.circuitBreaker ?? {}),
    models: s.models
      .map((m) => ({
        name: m.name,
        ...(m.version ? { version: m.version } : {}),
        ...(m.deployment ? { deployment: m.deployment } : {}),
        type: m.type ?? P['spec.models[].type'],
        // No price is not a price of 0: null says so (cost is then reported as 0).
        inputPricePer1M: m.inputPricePer1M ?? null,
        outputPricePer1M: m.outputPricePer1M ?? null,
        ...(m.cacheReadPricePer1M !== undefined ? { cacheReadPricePer1M: m.cacheReadPricePer1M } : {}),
        ...(m.cacheWritePricePer1M !== undefined ? { cacheWritePricePer1M: m.cacheWritePricePer1M } : {}),
        ...(m.contextWindow ? { contextWindow: m.contextWindow } : {}),
        ...(m.reasoning ? { reasoning: true as const } : {}),
        deprecated: m.deprecated ?? P['spec.models[].deprecated'],
      }))
      .sort(byName),
    ...(s.aws ? { aws: buildAws(s.aws) } : {}),
  };
}

function buildCircuitBreaker(b: T.CircuitBreaker): IRCircuitBreaker {
  return {
    enabled: b.enabled ?? P['spec.circuitBreaker.enabled'],
    consecutiveFailures: b.consecutiveFailures ?? P['spec.circuitBreaker.consecutiveFailures'],
    failureRatio: b.failureRatio ?? P['spec.circuitBreaker.failureRatio'],
    minimumRequests: b.minimumRequests ?? P['spec.circuitBreaker.minimumRequests'],
    windowMs: parseDuration(b.window ?? P['spec.circuitBreaker.window']),
    openForMs: parseDuration(b.openFor ?? P['spec.circuitBreaker.openFor']),
    halfOpenProbes: b.halfOpenProbes ?? P['spec.circuitBreaker.halfOpenProbes'],
  };
}

/** Only `bedrock` and `gemini` may leave `baseUrl` out (the schema says so): their public endpoints. */
function defaultBaseUrl(s: T.ProviderSpec): string {
  return s.type === 'bedrock'
    ? `https://bedrock-runtime.${s.aws!.region}.amazonaws.com`
    : 'https://generativelanguage.googleapis.com/v1beta';
}

function buildAws(a: T.AwsAuth): IRAws {
  if (a.roleArn) {
    const stsEndpoint = (a.stsEndpoint ?? `https://sts.${a.region}.amazonaws.com`).replace(/\/+$/, '');
    return { region: a.region, webIdentityTokenFile: a.webIdentityTokenFile!, roleArn: a.roleArn, stsEndpoint };
  }
  return {
    region: a.region,
    accessKeyId: parseSecretRef(a.accessKeyId!),
    secretAccessKey: parseSecretRef(a.secretAccessKey!),
    ...(a.sessionToken ? { sessionToken: parseSecretRef(a.sessionToken) } : {}),
  };
}

export function buildRoute(name: string, r: T.Route): IRRoute {
  const s = r.spec;
  const on = s.retry?.on ?? R['spec.retry.on'];
  return {
    name,
    labels: labelsOf(r),
    type: s.type ?? R['spec.type'],
    strategy: s.strategy ?? R['spec.strategy'],
    targets: s.targets.map((t) => ({ provider: t.provider, model: t.model, weight: t.weight ?? R['spec.targets[].weight'] })),
    fallbacks: (s.fallbacks ?? R['spec.fallbacks']).map((f) => ({ provider: f.provider, model: f.model })),
    retry: {
      attempts: s.retry?.attempts ?? R['spec.retry.attempts'],
      backoffMs: parseDuration(s.retry?.backoff ?? R['spec.retry.backoff']),
      statuses: on.filter((x): x is number => typeof x === 'number').sort((a, b) => a - b),
      onTimeout: on.includes('timeout'),
      onReset: on.includes('reset'),
    },
    timeoutMs: parseDuration(s.timeout ?? R['spec.timeout']),
    cache: { enabled: s.cache?.enabled ?? R['spec.cache.enabled'], ttlMs: parseDuration(s.cache?.ttl ?? R['spec.cache.ttl']) },
    ...(s.maxTokens ? { maxTokens: s.maxTokens } : {}),
    ...(s.aliases?.length ? { aliases: routeAliases(s.aliases) } : {}),
    ...(s.guardrails?.length ? { guardrails: [...s.guardrails] } : {}),
  };
}

export function buildPrompt(name: string, r: T.Prompt): IRPrompt {
  const s = r.spec;
  return {
    name,
    labels: labelsOf(r),
    route: s.route,
    variables: { ...(s.variables ?? PR['spec.variables']) },
    versions: Object.fromEntries(
      Object.keys(s.versions)
        .sort()
        .map((v) => {
          const version = s.versions[v]!;
          return [
            v,
            {
              messages: version.messages.map((m) => ({ role: m.role, content: m.content })),
              ...(version.temperature !== undefined ? { temperature: version.temperature } : {}),
              ...(version.maxTokens !== undefined ? { maxTokens: version.maxTokens } : {}),
            },
          ];
        }),
    ),
    serve: s.serve.map((x) => ({ version: x.version, weight: x.weight ?? PR['spec.serve[].weight'] })),
    ...(s.expose ? { expose: buildExpose(s.expose, s.variables ?? PR['spec.variables']) } : {}),
    ...(s.tests?.length ? { tests: s.tests.map((t) => ({ ...t })) } : {}),
  };
}

function buildExpose(e: T.PromptExpose, variables: Record<string, unknown>): IRPromptExpose {
  return {
    method: e.method ?? PR['spec.expose.method'],
    path: e.path,
    request: e.request ? { ...e.request } : defaultRequestSchema(variables),
    ...(e.response ? { response: { ...e.response } } : {}),
  };
}

export function buildConsumer(name: string, r: T.Consumer): IRConsumer {
  const s = r.spec ?? {};
  return {
    name,
    labels: labelsOf(r),
    apiKeys: (s.apiKeys ?? C['spec.apiKeys']).map((k) => ({ id: k.id, sha256: k.sha256, ...(k.expires ? { expires: k.expires } : {}) })),
    ...(s.jwt ? { jwt: { issuer: s.jwt.issuer, claims: { ...(s.jwt.claims ?? C['spec.jwt.claims']) } } } : {}),
  };
}

export function buildAccessPolicy(name: string, r: T.AccessPolicy, mcpServers: IRMcpServer[]): IRAccessPolicy {
  const s = r.spec;
  // `*` stays `*` (kernel/grants.ts expands it for readers): a policy granting everything does not grow with the repo.
  const granted = (names: readonly string[]): string[] => (names.includes(EVERY) ? [EVERY] : sortedNames(names));
  return {
    name,
    labels: labelsOf(r),
    subjects: {
      consumers: sortedNames(s.subjects.consumers ?? []),
      ...(Object.keys(s.subjects.labels ?? {}).length ? { labels: { ...s.subjects.labels } } : {}),
    },
    routes: granted(s.routes ?? A['spec.routes']),
    prompts: granted(s.prompts ?? A['spec.prompts']),
    ...(s.allowedModels ? { allowedModels: sortedNames(s.allowedModels) } : {}),
    limits: { ...(s.limits ?? A['spec.limits']) },
    redaction: {
      pii: [...(s.redaction?.pii ?? A['spec.redaction.pii'])],
      patterns: (s.redaction?.patterns ?? A['spec.redaction.patterns']).map((p) => ({ ...p })),
    },
    ...(s.mcp ? { mcp: buildMcpAccess(s.mcp, mcpServers) } : {}),
    ...(s.guardrails?.length ? { guardrails: [...s.guardrails] } : {}),
  };
}
