// One loaded config, with everything a request needs precomputed: lookup tables, compiled prompts, providers
// with their credentials, redactors, route plans per policy. A request holds the snapshot it started on, so a
// reload never changes the config under a request in flight.
import type { IR, IRAccessPolicy, IRModelRef, IRRoute } from '../compiler/ir/types.ts';
import { createAccessControl, type AccessControl } from './access.ts';
import { createResponseStore, type ResponseStore } from './apis/responses/store.ts';
import { createAuthenticator, type Authenticator } from './auth/index.ts';
import type { HealthBoard } from './health/board.ts';
import { shareCircuits, type CircuitSharing } from './health/shared.ts';
import { createResponseCache, type ResponseCache } from './cache/index.ts';
import { createGuardrails, type GuardsFor } from './guardrails/index.ts';
import { createLimiter, type Limiter } from './limits/index.ts';
import type { RedisEvents } from './redis-client.ts';
import { createModelRoutes, type ModelRoutes } from './model-routes.ts';
import { createMcpRuntime, type McpRuntime } from './mcp/index.ts';
import type { SessionSeal } from './mcp/session.ts';
import { createOpenApiView, type OpenApiView } from './openapi/view.ts';
import { compilePrompts, type CompiledPrompt } from './prompts.ts';
import { providerRuntime, type ProviderRuntime } from './providers/index.ts';
import { createRedactor } from '../kernel/redaction.ts';
import { routePlan, type Candidate, type RoutePlan } from './routing.ts';
import type { SecretResolver } from './secrets.ts';
import type { SharedResources } from './shared-resources.ts';
import { createTracing, type LoadingTracing, type SpanCounter } from './telemetry/index.ts';
import type { OriginPools } from './upstream.ts';
import type { LineWriter } from './usage-log.ts';

export type Redactor = (text: string) => string;

/** Process-wide things a snapshot draws on; they outlive any one config. */
export interface SnapshotDeps {
  secrets: SecretResolver;
  pools: OriginPools;
  limiters: SharedResources<Limiter>;
  caches: SharedResources<ResponseCache>;
  responseStores: SharedResources<ResponseStore>;
  usageLogs: SharedResources<LineWriter>;
  /** The gateway's own MCP session seal (a key of its own): sessions outlive a reload unless a key is configured. */
  mcpSessions: SessionSeal;
  openUsageLog: (path: string) => LineWriter;
  /** The circuit breakers and latencies of the provider models, and their sharing through a Redis limits store. */
  health: HealthBoard;
  circuitSharing: SharedResources<CircuitSharing>;
  tracings: SharedResources<LoadingTracing>;
  /** Where the tracing SDK counts the spans it exported, dropped or failed to export. */
  countSpans: SpanCounter;
  /** Where a Redis store reports its connection errors and its transitions between reachable and not. */
  storeEvents?: (store: 'limits' | 'cache') => RedisEvents;
}

export interface Snapshot {
  ir: IR;
  routes: Map<string, IRRoute>;
  /** The route a request's `model` (a route name or an alias) lands on, and the ids `GET /v1/models` lists. */
  models: ModelRoutes;
  prompts: Map<string, CompiledPrompt>;
  /** Prompts with an endpoint of their own, by its path. */
  exposed: Map<string, CompiledPrompt>;
  authenticate: Authenticator;
  access: AccessControl;
  /** `GET /openapi.json` for a consumer. */
  openApi: OpenApiView;
  limiter: Limiter;
  cache: ResponseCache;
  /** Where Responses API conversations are kept; undefined when none is configured (the API is stateless). */
  responses: ResponseStore | undefined;
  usageLog: LineWriter | undefined;
  /** The OTLP trace export; undefined when none is configured (no span is made). */
  tracing: LoadingTracing | undefined;
  /** The MCP servers and grants; undefined when the config declares no McpServer. */
  mcp: McpRuntime | undefined;
  redactor(policy: IRAccessPolicy): Redactor | null;
  /** The guardrails a request of this policy on this route runs through; null when none apply. */
  guards: GuardsFor;
  /** The route's candidates the policy allows; memoized. */
  plan(policy: IRAccessPolicy, route: IRRoute): RoutePlan;
  /** Counts a request in flight on this snapshot. */
  retain(): void;
  release(): void;
  /** Marks it replaced: its resources are released once its last request is done. */
  retire(): Promise<void>;
}

/** Builds a snapshot, resolving every secret now: a missing one throws, naming its reference. */
export function buildSnapshot(ir: IR, deps: SnapshotDeps): Snapshot {
  const providers = new Map<string, ProviderRuntime>(ir.providers.map((p) => [p.name, providerRuntime(p, deps.secrets, deps.pools)]));
  const mcp = createMcpRuntime(ir, deps.secrets, deps.pools, deps.mcpSessions);
  const prompts = compilePrompts(ir.prompts);
  const authenticate = createAuthenticator(ir, deps.secrets);
  const access = createAccessControl(ir);
  const redactors = redactorsByPolicy(ir.accessPolicies);
  const guards = createGuardrails(ir, deps.secrets);
  const plans = new WeakMap<readonly IRModelRef[], RoutePlan>();
  // One object per provider model, so that a fallback naming the target already tried is recognised as such.
  const candidates = new Map<string, Candidate>();
  const candidate = (ref: IRModelRef): Candidate => {
    const id = `${ref.provider}/${ref.model}`;
    let c = candidates.get(id);
    if (!c) {
      const provider = providers.get(ref.provider)!;
      candidates.set(id, (c = { provider, model: provider.models.get(ref.model)!, health: deps.health.of(provider.ir, ref.model) }));
    }
    return c;
  };
  // Every breaker exists (and has its gauge) from the start, not from its first request.
  for (const route of ir.routes) for (const ref of [...route.targets, ...route.fallbacks]) candidate(ref);

  // Keys are the settings themselves: an unchanged store keeps its counters and entries across reloads.
  const acquired: (() => Promise<void>)[] = [];
  const acquire = <T>(pool: SharedResources<T>, key: string, create: () => T): T => {
    const value = pool.acquire(key, create);
    acquired.push(() => pool.release(key));
    return value;
  };
  const releaseAll = () => Promise.all(acquired.map((release) => release())).then(() => undefined);
  const { stores, logging, telemetry } = ir.gateway;
  let limiter: Limiter, cache: ResponseCache, responses: ResponseStore | undefined, usageLog: LineWriter | undefined;
  let tracing: LoadingTracing | undefined;
  try {
    limiter = acquire(deps.limiters, JSON.stringify(stores.limits), () =>
      createLimiter(stores.limits, deps.secrets, Date.now, deps.storeEvents?.('limits')),
    );
    cache = acquire(deps.caches, JSON.stringify(stores.cache), () =>
      createResponseCache(stores.cache, deps.secrets, Date.now, deps.storeEvents?.('cache')),
    );
    const conversations = stores.responses;
    responses =
      conversations && acquire(deps.responseStores, JSON.stringify(conversations), () => createResponseStore(conversations, deps.secrets));
    const { limits } = stores;
    if (limits.type === 'redis') {
      acquire(deps.circuitSharing, JSON.stringify(limits), () =>
        shareCircuits(limits, deps.secrets, deps.health, { onError: deps.storeEvents?.('limits').onError ?? (() => {}) }),
      );
    }
    usageLog = logging.usage.enabled ? acquire(deps.usageLogs, logging.usage.path, () => deps.openUsageLog(logging.usage.path)) : undefined;
    tracing =
      telemetry &&
      acquire(deps.tracings, JSON.stringify(telemetry.otlp), () => createTracing(telemetry.otlp, deps.secrets, deps.countSpans));
  } catch (err) {
    void releaseAll();
    throw err;
  }
  return {
    ir,
    routes: new Map(ir.routes.map((r) => [r.name, r])),
    models: createModelRoutes(ir.routes),
    prompts,
    exposed: new Map([...prompts.values()].filter((p) => p.ir.expose).map((p) => [p.ir.expose!.path, p])),
    authenticate,
    access,
    openApi: createOpenApiView(ir, access),
    limiter,
    cache,
    responses,
    usageLog,
    tracing,
    mcp,
    redactor: (policy) => redactors.get(policy) ?? null,
    guards,
    plan(policy, route) {
      const allowed = access.allowedTargets(policy, route);
      let plan = plans.get(allowed);
      if (!plan) {
        const ids = new Set(allowed.map((r) => `${r.provider}/${r.model}`));
        const permitted = (r: IRModelRef) => ids.has(`${r.provider}/${r.model}`);
        plan = routePlan(
          route.strategy,
          route.targets.filter(permitted).map((t) => ({ value: candidate(t), weight: t.weight })),
          route.fallbacks.filter(permitted).map(candidate),
        );
        plans.set(allowed, plan);
      }
      return plan;
    },
    ...inflightCounter(releaseAll),
  };
}

/**
 * One redactor per distinct redaction setting, not per policy: at scale most policies share a few settings, and
 * checking and compiling a pattern (for each of hundreds of policies) was a sixth of start-up.
 */
function redactorsByPolicy(policies: readonly IRAccessPolicy[]): Map<IRAccessPolicy, Redactor | null> {
  const bySetting = new Map<string, Redactor | null>();
  const result = new Map<IRAccessPolicy, Redactor | null>();
  for (const policy of policies) {
    const key = JSON.stringify(policy.redaction);
    let redactor = bySetting.get(key);
    if (redactor === undefined) bySetting.set(key, (redactor = createRedactor(policy.redaction)));
    result.set(policy, redactor);
  }
  return result;
}

function inflightCounter(dispose: () => Promise<void>): Pick<Snapshot, 'retain' | 'release' | 'retire'> {
  let inflight = 0;
  let retired: (() => void) | undefined;
  let disposed: Promise<void> | undefined;
  const settle = () => {
    if (retired && inflight === 0 && !disposed) {
      disposed = dispose();
      disposed.then(retired, retired);
    }
  };
  return {
    retain: () => void inflight++,
    release: () => {
      inflight--;
      settle();
    },
    retire: () =>
      new Promise<void>((resolve) => {
        retired = resolve;
        settle();
      }),
  };
}
