// Builds the IR from the effective, schema-valid, reference-checked resources of one environment.
import type * as T from '../../schema/types.ts';
import type { EnvironmentInfo } from '../environments/apply.ts';
import type { AnyResource } from '../../kernel/resource.ts';
import { indexResources } from '../resolve/index-resources.ts';
import { parseDuration } from '../../kernel/duration.ts';
import { parseSecretRef } from '../../kernel/secret-env.ts';
import type { IR, IRAccessPolicy, IRConsumer, IRGateway, IRMcpServer, IRPrompt, IRProvider, IRRoute, IRStore } from './types.ts';
import { buildMcpAccess, buildMcpServer } from './mcp.ts';

const DEFAULT_RETRY_ON: NonNullable<T.RetryPolicy['on']> = [429, 500, 502, 503, 504, 'timeout', 'reset'];

const byName = <X extends { name: string }>(a: X, b: X): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const sortedNames = (names: Iterable<string>): string[] => [...new Set(names)].sort();

export function buildIR(resources: readonly AnyResource[], environment: EnvironmentInfo): IR {
  const index = indexResources(resources);
  const gatewayResource = [...index.Gateway.values()][0];
  const routes = [...index.Route.values()].map((r) => buildRoute(r.name, r.value)).sort(byName);
  const prompts = [...index.Prompt.values()].map((r) => buildPrompt(r.name, r.value)).sort(byName);
  const consumers = [...index.Consumer.values()].map((r) => buildConsumer(r.name, r.value)).sort(byName);
  const mcpServers = [...index.McpServer.values()].map((r) => buildMcpServer(r.name, r.value)).sort(byName);
  return {
    irVersion: 1,
    environment,
    gateway: buildGateway(gatewayResource?.name ?? 'modelgate', gatewayResource?.value.spec ?? {}),
    providers: [...index.Provider.values()].map((r) => buildProvider(r.name, r.value)).sort(byName),
    routes,
    prompts,
    consumers,
    accessPolicies: [...index.AccessPolicy.values()]
      .map((r) => buildAccessPolicy(r.name, r.value, consumers, routes, prompts, mcpServers))
      .sort(byName),
    ...(mcpServers.length ? { mcpServers } : {}),
  };
}

function labelsOf(r: { metadata: T.Metadata }): Record<string, string> {
  return { ...(r.metadata.labels ?? {}) } as Record<string, string>;
}

function buildStore(store: T.Store | undefined): IRStore {
  if (store?.type === 'redis') return { type: 'redis', url: parseSecretRef(store.url!), keyPrefix: store.keyPrefix ?? 'modelgate:' };
  return { type: 'memory', maxEntries: store?.maxEntries ?? 10_000 };
}

function buildGateway(name: string, spec: T.GatewaySpec): IRGateway {
  const k8s = spec.kubernetes ?? {};
  return {
    name,
    listen: { host: spec.listen?.host ?? '0.0.0.0', port: spec.listen?.port ?? 8080 },
    limits: {
      maxBodyBytes: spec.limits?.maxBodyBytes ?? 1_048_576,
      maxResponseBytes: spec.limits?.maxResponseBytes ?? 67_108_864,
      requestTimeoutMs: parseDuration(spec.limits?.requestTimeout ?? '120s'),
      headersTimeoutMs: parseDuration(spec.limits?.headersTimeout ?? '10s'),
    },
    auth: {
      jwt: (spec.auth?.jwt ?? []).map((j) => ({
        issuer: j.issuer,
        audiences: j.audiences ?? [],
        algorithms: j.algorithms ?? ['RS256', 'ES256'],
        ...(j.secret ? { secret: parseSecretRef(j.secret) } : {}),
        ...(j.publicKey ? { publicKey: j.publicKey } : {}),
      })),
    },
    stores: { limits: buildStore(spec.stores?.limits), cache: buildStore(spec.stores?.cache) },
    logging: {
      level: spec.logging?.level ?? 'info',
      usage: {
        enabled: spec.logging?.usage?.enabled ?? true,
        path: spec.logging?.usage?.path ?? 'stdout',
        includePrompts: spec.logging?.usage?.includePrompts ?? false,
      },
    },
    metrics: { enabled: spec.metrics?.enabled ?? true, path: spec.metrics?.path ?? '/metrics' },
    kubernetes: {
      namespace: k8s.namespace ?? 'modelgate',
      image: k8s.image ?? 'node:20-alpine',
      replicas: k8s.replicas ?? 2,
      resources: { requests: { ...(k8s.resources?.requests ?? {}) }, limits: { ...(k8s.resources?.limits ?? {}) } },
      autoscaling: {
        enabled: k8s.autoscaling?.enabled ?? true,
        maxReplicas: k8s.autoscaling?.maxReplicas ?? 10,
        targetCPUUtilization: k8s.autoscaling?.targetCPUUtilization ?? 70,
      },
    },
    envoy: {
      mode: spec.envoy?.mode ?? 'direct',
      port: spec.envoy?.port ?? 10000,
      adminPort: spec.envoy?.adminPort ?? 9901,
      image: spec.envoy?.image ?? 'envoyproxy/envoy:v1.31-latest',
    },
  };
}

function buildProvider(name: string, r: T.Provider): IRProvider {
  const s = r.spec;
  return {
    name,
    labels: labelsOf(r),
    type: s.type,
    baseUrl: s.baseUrl.replace(/\/+$/, ''),
    credential: s.credential ? parseSecretRef(s.credential) : null,
    ...(s.apiVersion ? { apiVersion: s.apiVersion } : {}),
    timeoutMs: parseDuration(s.timeout ?? '60s'),
    retries: s.retries ?? 1,
    headers: { ...(s.headers ?? {}) },
    models: s.models
      .map((m) => ({
        name: m.name,
        ...(m.version ? { version: m.version } : {}),
        ...(m.deployment ? { deployment: m.deployment } : {}),
        type: m.type ?? 'chat',
        inputPricePer1M: m.inputPricePer1M ?? null,
        outputPricePer1M: m.outputPricePer1M ?? null,
        ...(m.contextWindow ? { contextWindow: m.contextWindow } : {}),
        deprecated: m.deprecated ?? false,
      }))
      .sort(byName),
  };
}

function buildRoute(name: string, r: T.Route): IRRoute {
  const s = r.spec;
  const on = s.retry?.on ?? DEFAULT_RETRY_ON;
  return {
    name,
    labels: labelsOf(r),
    type: s.type ?? 'chat',
    targets: s.targets.map((t) => ({ provider: t.provider, model: t.model, weight: t.weight ?? 100 })),
    fallbacks: (s.fallbacks ?? []).map((f) => ({ provider: f.provider, model: f.model })),
    retry: {
      attempts: s.retry?.attempts ?? 1,
      backoffMs: parseDuration(s.retry?.backoff ?? '200ms'),
      statuses: on.filter((x): x is number => typeof x === 'number').sort((a, b) => a - b),
      onTimeout: on.includes('timeout'),
      onReset: on.includes('reset'),
    },
    timeoutMs: parseDuration(s.timeout ?? '120s'),
    cache: { enabled: s.cache?.enabled ?? false, ttlMs: parseDuration(s.cache?.ttl ?? '5m') },
    ...(s.maxTokens ? { maxTokens: s.maxTokens } : {}),
  };
}

function buildPrompt(name: string, r: T.Prompt): IRPrompt {
  const s = r.spec;
  return {
    name,
    labels: labelsOf(r),
    route: s.route,
    variables: (s.variables as Record<string, unknown> | undefined) ?? { type: 'object' },
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
    serve: s.serve.map((x) => ({ version: x.version, weight: x.weight ?? 100 })),
  };
}

function buildConsumer(name: string, r: T.Consumer): IRConsumer {
  const s = r.spec ?? {};
  return {
    name,
    labels: labelsOf(r),
    apiKeys: (s.apiKeys ?? []).map((k) => ({ id: k.id, sha256: k.sha256, ...(k.expires ? { expires: k.expires } : {}) })),
    ...(s.jwt ? { jwt: { issuer: s.jwt.issuer, claims: { ...(s.jwt.claims ?? {}) } } } : {}),
  };
}

function buildAccessPolicy(
  name: string,
  r: T.AccessPolicy,
  consumers: IRConsumer[],
  routes: IRRoute[],
  prompts: IRPrompt[],
  mcpServers: IRMcpServer[],
): IRAccessPolicy {
  const s = r.spec;
  const labels = Object.entries(s.subjects.labels ?? {});
  const byLabels = labels.length
    ? consumers.filter((c) => labels.every(([k, v]) => c.labels[k] === v)).map((c) => c.name)
    : [];
  const expand = (granted: string[] | undefined, all: { name: string }[]): string[] =>
    granted?.includes('*') ? all.map((x) => x.name) : sortedNames(granted ?? []);
  return {
    name,
    labels: labelsOf(r),
    consumers: sortedNames([...(s.subjects.consumers ?? []), ...byLabels]),
    routes: expand(s.routes, routes),
    prompts: expand(s.prompts, prompts),
    ...(s.allowedModels ? { allowedModels: sortedNames(s.allowedModels) } : {}),
    limits: { ...(s.limits ?? {}) },
    redaction: { pii: [...(s.redaction?.pii ?? [])], patterns: (s.redaction?.patterns ?? []).map((p) => ({ ...p })) },
    ...(s.mcp ? { mcp: buildMcpAccess(s.mcp, mcpServers) } : {}),
  };
}
