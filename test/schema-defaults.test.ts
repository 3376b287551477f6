// Every value the compiler fills in is the `default` its schema declares. The IR of minimal resources (only
// what the schemas require; once bare, once with every optional object present) is walked leaf by leaf: each
// leaf is either written in those resources or equal to the schema default of the location it comes from. And
// every default of every kind's schema is one of those leaves, or checked where the compiler applies it.
import { describe, expect, it } from 'vitest';
import { environmentInfo } from '../compiler/environments/apply.ts';
import { buildIR } from '../compiler/ir/build.ts';
import type { IR } from '../compiler/ir/types.ts';
import { parseDuration } from '../kernel/duration.ts';
import type { Resource } from '../kernel/resource.ts';
import { compilePolicy } from '../policies/policy-documents/compile-policy.ts';
import type { Kind } from '../schema/kinds.ts';
import { SCHEMA_DEFAULTS } from '../schema/values.ts';
import { doc, resourcesFrom } from './support/policy-resources.ts';

const BARE = {
  Gateway: doc('Gateway', 'gw', '{}', ''),
  Provider: doc('Provider', 'p', 'type: openai\nbaseUrl: https://p.example\nmodels: [{name: m}]', ''),
  Route: doc('Route', 'r', 'targets: [{provider: p, model: m}]', ''),
  Prompt: doc('Prompt', 'pr', 'route: r\nversions: {v1: {messages: [{role: user, content: hi}]}}\nserve: [{version: v1}]', ''),
  Consumer: doc('Consumer', 'c', '{}', ''),
  AccessPolicy: doc('AccessPolicy', 'a', 'subjects: {}', ''),
  McpServer: doc('McpServer', 'm', 'url: https://m.example/mcp', ''),
  Guardrail: doc('Guardrail', 'g', 'check: {pii: {}}', ''),
  Environment: doc('Environment', 'e', '{}', ''),
};
/** With the optional objects whose members exist only when they do. */
const NESTED = {
  ...BARE,
  Gateway: doc(
    'Gateway',
    'gw',
    'auth: {jwt: [{issuer: i}]}\nstores: {limits: {type: redis, url: "env:R"}, cache: {type: redis, url: "env:R"}, responses: {type: redis, url: "env:R"}}\ntelemetry: {otlp: {endpoint: "http://c:4318/v1/traces"}}',
    '',
  ),
  Prompt: doc(
    'Prompt',
    'pr',
    'route: r\nversions: {v1: {messages: [{role: user, content: hi}]}}\nserve: [{version: v1}]\nexpose: {path: /pr}',
    '',
  ),
  Consumer: doc('Consumer', 'c', 'jwt: {issuer: i}', ''),
  AccessPolicy: doc('AccessPolicy', 'a', 'subjects: {}\nmcp: {servers: [{name: m, tools: [t]}]}', ''),
  // The checkers with defaults of their own.
  Guardrail: doc('Guardrail', 'g', 'check: {presidio: {analyzerUrl: "https://p.example"}}', ''),
  Moderation: doc('Guardrail', 'mod', 'check: {moderation: {url: "https://m.example"}}', ''),
};
/** What NESTED writes at locations that BARE leaves to their defaults. */
const NESTED_GIVES = new Set([
  'gateway.auth.jwt',
  'gateway.stores.limits.type',
  'gateway.stores.cache.type',
  'gateway.stores.responses.type',
  'gateway.telemetry.otlp.endpoint',
]);
/** The optional store whose members depend on its type, in memory (NESTED has it in Redis). */
const IN_MEMORY = { ...BARE, Gateway: doc('Gateway', 'gw', 'stores: {responses: {type: memory}}', '') };
const IN_MEMORY_GIVES = new Set(['gateway.stores.responses.type']);

interface FromSchema {
  kind: Kind;
  at: string;
  /** How the IR represents the schema's value. */
  as?: (schemaDefault: never) => unknown;
}

const ms = (duration: string) => parseDuration(duration);
const from =
  (kind: Kind) =>
  (at: string, as?: FromSchema['as']): FromSchema => ({ kind, at, as });
const gateway = from('Gateway');
const provider = from('Provider');
const route = from('Route');
const prompt = from('Prompt');
const consumer = from('Consumer');
const access = from('AccessPolicy');
const environment = from('Environment');
const mcpServer = from('McpServer');
const guardrail = from('Guardrail');

/** IR leaf (`[]`: any item of a list) -> the schema location whose default it is. */
const DEFAULTED: Record<string, FromSchema> = {
  'environment.tier': environment('spec.tier'),
  'gateway.listen.host': gateway('spec.listen.host'),
  'gateway.listen.port': gateway('spec.listen.port'),
  'gateway.limits.maxBodyBytes': gateway('spec.limits.maxBodyBytes'),
  'gateway.limits.maxResponseBytes': gateway('spec.limits.maxResponseBytes'),
  'gateway.limits.requestTimeoutMs': gateway('spec.limits.requestTimeout', ms),
  'gateway.limits.headersTimeoutMs': gateway('spec.limits.headersTimeout', ms),
  'gateway.auth.jwt': gateway('spec.auth.jwt'),
  'gateway.auth.jwt[].audiences': gateway('spec.auth.jwt[].audiences'),
  'gateway.auth.jwt[].algorithms': gateway('spec.auth.jwt[].algorithms'),
  'gateway.stores.limits.type': gateway('spec.stores.limits', (s: { type: string }) => s.type),
  'gateway.stores.limits.maxEntries': gateway('spec.stores.limits.maxEntries'),
  'gateway.stores.limits.keyPrefix': gateway('spec.stores.limits.keyPrefix'),
  'gateway.stores.limits.onUnavailable': gateway('spec.stores.limits.onUnavailable'),
  'gateway.stores.cache.type': gateway('spec.stores.cache', (s: { type: string }) => s.type),
  'gateway.stores.cache.maxEntries': gateway('spec.stores.cache.maxEntries'),
  'gateway.stores.cache.keyPrefix': gateway('spec.stores.cache.keyPrefix'),
  'gateway.stores.responses.maxEntries': gateway('spec.stores.responses.maxEntries'),
  'gateway.stores.responses.keyPrefix': gateway('spec.stores.responses.keyPrefix'),
  'gateway.stores.responses.ttlMs': gateway('spec.stores.responses.ttl', ms),
  'gateway.logging.level': gateway('spec.logging.level'),
  'gateway.logging.usage.enabled': gateway('spec.logging.usage.enabled'),
  'gateway.logging.usage.path': gateway('spec.logging.usage.path'),
  'gateway.logging.usage.includePrompts': gateway('spec.logging.usage.includePrompts'),
  'gateway.metrics.enabled': gateway('spec.metrics.enabled'),
  'gateway.metrics.path': gateway('spec.metrics.path'),
  'gateway.telemetry.otlp.headers': gateway('spec.telemetry.otlp.headers'),
  'gateway.telemetry.otlp.samplingRatio': gateway('spec.telemetry.otlp.samplingRatio'),
  'gateway.telemetry.otlp.serviceName': gateway('spec.telemetry.otlp.serviceName'),
  'gateway.kubernetes.namespace': gateway('spec.kubernetes.namespace'),
  'gateway.kubernetes.image': gateway('spec.kubernetes.image'),
  'gateway.kubernetes.replicas': gateway('spec.kubernetes.replicas'),
  'gateway.kubernetes.resources.requests': gateway('spec.kubernetes.resources.requests'),
  'gateway.kubernetes.resources.limits': gateway('spec.kubernetes.resources.limits'),
  'gateway.kubernetes.autoscaling.enabled': gateway('spec.kubernetes.autoscaling.enabled'),
  'gateway.kubernetes.autoscaling.maxReplicas': gateway('spec.kubernetes.autoscaling.maxReplicas'),
  'gateway.kubernetes.autoscaling.targetCPUUtilization': gateway('spec.kubernetes.autoscaling.targetCPUUtilization'),
  'gateway.envoy.mode': gateway('spec.envoy.mode'),
  'gateway.envoy.port': gateway('spec.envoy.port'),
  'gateway.envoy.adminPort': gateway('spec.envoy.adminPort'),
  'gateway.envoy.image': gateway('spec.envoy.image'),
  'gateway.alerts.enabled': gateway('spec.alerts.enabled'),
  'gateway.alerts.dashboard': gateway('spec.alerts.dashboard'),
  'gateway.alerts.forMs': gateway('spec.alerts.for', ms),
  'gateway.alerts.labels': gateway('spec.alerts.labels'),
  'gateway.alerts.resourceLabels': gateway('spec.alerts.resourceLabels'),
  'gateway.alerts.errorRatio': gateway('spec.alerts.errorRatio'),
  'gateway.alerts.providerFailureRatio': gateway('spec.alerts.providerFailureRatio'),
  'gateway.alerts.latencyRatioOfTimeout': gateway('spec.alerts.latencyRatioOfTimeout'),
  'gateway.alerts.tokensPerMinuteRatio': gateway('spec.alerts.tokensPerMinuteRatio'),
  'gateway.alerts.budgetProjection': gateway('spec.alerts.budgetProjection'),
  'gateway.alerts.budgetWindowMs': gateway('spec.alerts.budgetWindow', ms),
  'gateway.alerts.disable': gateway('spec.alerts.disable'),
  'providers[].labels': provider('metadata.labels'),
  'providers[].timeoutMs': provider('spec.timeout', ms),
  'providers[].retries': provider('spec.retries'),
  'providers[].headers': provider('spec.headers'),
  'providers[].circuitBreaker.enabled': provider('spec.circuitBreaker.enabled'),
  'providers[].circuitBreaker.consecutiveFailures': provider('spec.circuitBreaker.consecutiveFailures'),
  'providers[].circuitBreaker.failureRatio': provider('spec.circuitBreaker.failureRatio'),
  'providers[].circuitBreaker.minimumRequests': provider('spec.circuitBreaker.minimumRequests'),
  'providers[].circuitBreaker.windowMs': provider('spec.circuitBreaker.window', ms),
  'providers[].circuitBreaker.openForMs': provider('spec.circuitBreaker.openFor', ms),
  'providers[].circuitBreaker.halfOpenProbes': provider('spec.circuitBreaker.halfOpenProbes'),
  'providers[].models[].type': provider('spec.models[].type'),
  'providers[].models[].deprecated': provider('spec.models[].deprecated'),
  'routes[].labels': route('metadata.labels'),
  'routes[].type': route('spec.type'),
  'routes[].strategy': route('spec.strategy'),
  'routes[].targets[].weight': route('spec.targets[].weight'),
  'routes[].fallbacks': route('spec.fallbacks'),
  'routes[].retry.attempts': route('spec.retry.attempts'),
  'routes[].retry.backoffMs': route('spec.retry.backoff', ms),
  'routes[].retry.statuses': route('spec.retry.on', (on: unknown[]) => on.filter((x) => typeof x === 'number')),
  'routes[].retry.onTimeout': route('spec.retry.on', (on: unknown[]) => on.includes('timeout')),
  'routes[].retry.onReset': route('spec.retry.on', (on: unknown[]) => on.includes('reset')),
  'routes[].timeoutMs': route('spec.timeout', ms),
  'routes[].cache.enabled': route('spec.cache.enabled'),
  'routes[].cache.ttlMs': route('spec.cache.ttl', ms),
  'prompts[].labels': prompt('metadata.labels'),
  'prompts[].variables': prompt('spec.variables'),
  'prompts[].serve[].weight': prompt('spec.serve[].weight'),
  'prompts[].expose.method': prompt('spec.expose.method'),
  'consumers[].labels': consumer('metadata.labels'),
  'consumers[].apiKeys': consumer('spec.apiKeys'),
  'consumers[].jwt.claims': consumer('spec.jwt.claims'),
  'accessPolicies[].labels': access('metadata.labels'),
  'accessPolicies[].routes': access('spec.routes'),
  'accessPolicies[].prompts': access('spec.prompts'),
  'accessPolicies[].limits': access('spec.limits'),
  'accessPolicies[].redaction.pii': access('spec.redaction.pii'),
  'accessPolicies[].redaction.patterns': access('spec.redaction.patterns'),
  'accessPolicies[].mcp.redactArguments': access('spec.mcp.redactArguments'),
  'mcpServers[].labels': mcpServer('metadata.labels'),
  'mcpServers[].credentialHeader': mcpServer('spec.credentialHeader', (header: string) => header.toLowerCase()),
  'mcpServers[].timeoutMs': mcpServer('spec.timeout', ms),
  'guardrails[].labels': guardrail('metadata.labels'),
  'guardrails[].stage': guardrail('spec.stage'),
  'guardrails[].action': guardrail('spec.action'),
  'guardrails[].timeoutMs': guardrail('spec.timeout', ms),
  'guardrails[].onError': guardrail('spec.onError'),
  'guardrails[].check.detectors': guardrail('spec.check.pii.detectors'),
  'guardrails[].check.patterns': guardrail('spec.check.pii.patterns'),
  'guardrails[].check.thresholds': guardrail('spec.check.moderation.thresholds'),
  'guardrails[].check.language': guardrail('spec.check.presidio.language'),
  'guardrails[].check.scoreThreshold': guardrail('spec.check.presidio.scoreThreshold'),
};

/** IR leaves the minimal resources give, or that say "none given" (null), or that are derived from given values. */
const GIVEN = new Set([
  'irVersion',
  'environment.name',
  'gateway.name',
  'gateway.auth.jwt[].issuer',
  'gateway.stores.limits.url',
  'gateway.stores.cache.url',
  'gateway.stores.responses.url',
  'gateway.mcp', // {} without a session key
  'providers[].name',
  'providers[].type',
  'providers[].baseUrl',
  'providers[].credential',
  'providers[].models[].name',
  'providers[].models[].inputPricePer1M',
  'providers[].models[].outputPricePer1M',
  'routes[].name',
  'routes[].targets[].provider',
  'routes[].targets[].model',
  'prompts[].name',
  'prompts[].route',
  'prompts[].versions',
  'prompts[].serve[].version',
  'prompts[].expose.path',
  // Derived from the variables.
  'prompts[].expose.request',
  'consumers[].name',
  'consumers[].jwt.issuer',
  'accessPolicies[].name',
  'accessPolicies[].subjects.consumers',
  'accessPolicies[].mcp.servers',
  'mcpServers[].name',
  'mcpServers[].url',
  'mcpServers[].credential',
  'guardrails[].name',
  'guardrails[].check.type',
  'guardrails[].check.analyzerUrl',
  'guardrails[].check.url',
  'guardrails[].check.credential',
]);

/** Defaults the IR does not carry, each checked where the compiler applies it (or not read at all). */
const NOT_IN_IR = new Set([
  'Gateway metadata.labels',
  'Policy metadata.labels',
  'Policy spec.severity',
  'PolicyException metadata.labels',
  'Environment metadata.labels',
  // false: the IR marks only reasoning models (`reasoning: true`), the others have no member.
  'Provider spec.models[].reasoning',
]);

function irOf(documents: Record<string, string>): IR {
  const resources = resourcesFrom(...Object.values(documents));
  const env = resources.find((r): r is Resource<'Environment'> => r.kind === 'Environment');
  return buildIR(resources, environmentInfo(env));
}

function expectedAt(path: string): unknown {
  const { kind, at, as } = DEFAULTED[path]!;
  const value = (SCHEMA_DEFAULTS[kind] as Record<string, unknown>)[at];
  return as && value !== undefined ? as(value as never) : value;
}

/** The IR's leaves by path (`[]`: an item of a list), stopping at the nodes the tables above name. */
function leaves(value: unknown, gives: ReadonlySet<string>, path = ''): [string, unknown][] {
  const leaf = value === null || typeof value !== 'object' || Object.keys(value).length === 0;
  if (gives.has(path) && leaf) return [];
  if (!gives.has(path) && (leaf || path in DEFAULTED || GIVEN.has(path))) return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((item) => leaves(item, gives, `${path}[]`));
  return Object.entries(value as object).flatMap(([key, child]) => leaves(child, gives, path ? `${path}.${key}` : key));
}

const found = [...leaves(irOf(BARE), new Set()), ...leaves(irOf(NESTED), NESTED_GIVES), ...leaves(irOf(IN_MEMORY), IN_MEMORY_GIVES)];

describe('schema defaults', () => {
  it('are what the IR holds wherever the minimal resources leave a value out', () => {
    expect(found.filter(([path]) => !(path in DEFAULTED) && !GIVEN.has(path)).map(([path]) => path)).toEqual([]);
    for (const [path, value] of found) {
      if (!(path in DEFAULTED)) continue;
      const { kind, at } = DEFAULTED[path]!;
      expect(SCHEMA_DEFAULTS[kind], `${kind} ${at} declares no default`).toHaveProperty([at]);
      expect(value, path).toEqual(expectedAt(path));
    }
  });

  it('are each filled into the IR, or applied elsewhere', () => {
    const seen = new Set(found.map(([path]) => path));
    expect(Object.keys(DEFAULTED).filter((path) => !seen.has(path))).toEqual([]);
    const inIR = new Set(Object.values(DEFAULTED).map((s) => `${s.kind} ${s.at}`));
    const declared = Object.entries(SCHEMA_DEFAULTS).flatMap(([kind, table]) => Object.keys(table).map((at) => `${kind} ${at}`));
    expect(declared.filter((d) => !inIR.has(d) && !NOT_IN_IR.has(d))).toEqual([]);
    expect([...NOT_IN_IR].filter((d) => !declared.includes(d))).toEqual([]);
  });

  it('of a Policy: its severity', () => {
    const [policy] = resourcesFrom(doc('Policy', 'p', 'match: {}\nmessage: m\ndeny: {all: [{path: spec, operator: Exists}]}'));
    expect(compilePolicy(policy as Resource<'Policy'>).policy?.severity).toBe(SCHEMA_DEFAULTS.Policy['spec.severity']);
  });
});
