// Routes as AIGatewayRoute rules (one per public model, matched on the model the AI Gateway reads from the body),
// fallbacks (and the targets of a priority or lowest-cost route) as lower-priority backends, and retries as Envoy
// Gateway BackendTrafficPolicies. A policy applies to a whole generated HTTPRoute, so routes are grouped by retry
// policy, at most 15 rules per AIGatewayRoute.
import type { IR, IRModelRef, IRProvider, IRRoute } from '../../compiler/ir/types.ts';
import { gatewayDuration, sha256Hex } from '../emit.ts';
import { rankedTargets } from '../strategy.ts';
import type { TargetFinding } from '../target.ts';
import { AIGW, ENVOY_GATEWAY, meta, type Manifest } from './manifest.ts';

/** The CRD's limit: an HTTPRoute holds 16 rules and the controller adds a catch-all. */
export const MAX_RULES = 15;
const MAX_BACKEND_REFS = 128;
const MODEL_HEADER = 'x-ai-eg-model';
export const GATEWAY_NAME = 'modelgate';
/** Rule names the controller keeps for itself. */
const RESERVED_RULE_NAMES = new Set(['route-not-found']);

/** Token counts the AI Gateway records per request, for rate limits and reports. */
const REQUEST_COSTS = [
  { metadataKey: 'llm_input_token', type: 'InputToken' },
  { metadataKey: 'llm_output_token', type: 'OutputToken' },
  { metadataKey: 'llm_total_token', type: 'TotalToken' },
];

interface Rule {
  route: IRRoute;
  /** Backends of a lower priority than the first: ranked targets after the first one, then distinct fallbacks. */
  failovers: number;
  spec: Record<string, unknown>;
}

/** The model name a backend is sent (and a QuotaPolicy keys on): Azure serves a model under its deployment name. */
export function servedModel(p: IRProvider, model: string): string {
  const m = p.models.find((x) => x.name === model)!;
  return p.type === 'azure-openai' ? (m.deployment ?? m.name) : m.name;
}

function backendRef(p: IRProvider, model: string, weight: number, priority: number) {
  return { name: p.name, weight, priority, modelNameOverride: servedModel(p, model) };
}

function ruleOf(r: IRRoute, providers: Map<string, IRProvider>): Rule {
  const key = (x: IRModelRef) => `${x.provider}/${x.model}`;
  const seen = new Set(r.targets.map(key));
  const fallbacks = r.fallbacks.filter((f) => !seen.has(key(f)) && seen.add(key(f)));
  const perAttemptMs = Math.max(...[...r.targets, ...fallbacks].map((t) => providers.get(t.provider)!.timeoutMs));
  // A ranked strategy gives each target its own priority level; otherwise the targets share the first, by weight.
  const ranked = rankedTargets(r, providers);
  const targets = ranked
    ? ranked.map((t, i) => backendRef(providers.get(t.provider)!, t.model, 1, i))
    : r.targets.map((t) => backendRef(providers.get(t.provider)!, t.model, t.weight, 0));
  const levels = ranked ? ranked.length : 1;
  return {
    route: r,
    failovers: levels - 1 + fallbacks.length,
    spec: {
      ...(RESERVED_RULE_NAMES.has(r.name) ? {} : { name: r.name }),
      matches: [{ headers: [{ type: 'Exact', name: MODEL_HEADER, value: r.name }] }],
      backendRefs: [...targets, ...fallbacks.map((f, i) => backendRef(providers.get(f.provider)!, f.model, 1, levels + i))],
      timeouts: { request: gatewayDuration(r.timeoutMs), backendRequest: gatewayDuration(Math.min(perAttemptMs, r.timeoutMs)) },
    },
  };
}

/** Routes sharing a key can share a BackendTrafficPolicy. */
const retryKey = (rule: Rule) => JSON.stringify([rule.route.retry, rule.failovers]);

export function routeManifests(ir: IR): { manifests: Manifest[]; findings: TargetFinding[] } {
  const providers = new Map(ir.providers.map((p) => [p.name, p]));
  const findings: TargetFinding[] = [];
  const groups = new Map<string, Rule[]>();
  for (const r of ir.routes) {
    const rule = ruleOf(r, providers);
    if ((rule.spec.backendRefs as unknown[]).length > MAX_BACKEND_REFS) {
      findings.push({
        ruleId: 'target-limit',
        severity: 'error',
        resource: `Route/${r.name}`,
        path: ['spec', 'targets'],
        message: `route ${r.name} has ${(rule.spec.backendRefs as unknown[]).length} targets and fallbacks; an AIGatewayRoute rule holds at most ${MAX_BACKEND_REFS}`,
      });
      continue;
    }
    groups.set(retryKey(rule), [...(groups.get(retryKey(rule)) ?? []), rule]);
  }
  // A chunk is named after the boundary it starts at (the route that ended the one before), not its position or
  // its own routes: a route added, removed or moved renames nothing unless it is itself a boundary.
  // Groups in key order: which route comes first must not reorder the file.
  const chunks = [...groups]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([key, rules]) =>
      chunk(rules).map((part, i, all) => ({ start: `${key}\0${i ? all[i - 1]!.at(-1)!.route.name : ''}`, rules: part })),
    );
  const manifests = chunks.flatMap(({ start, rules }) => {
    const name = chunks.length === 1 ? GATEWAY_NAME : `${GATEWAY_NAME}-${sha256Hex(start).slice(0, 10)}`;
    return [
      {
        apiVersion: AIGW,
        kind: 'AIGatewayRoute',
        metadata: meta(ir, name),
        spec: {
          parentRefs: [{ name: GATEWAY_NAME, kind: 'Gateway', group: 'gateway.networking.k8s.io' }],
          rules: rules.map((r) => r.spec),
          llmRequestCosts: REQUEST_COSTS,
        },
      },
      retryPolicy(ir, name, rules[0]!),
    ];
  });
  return { manifests, findings };
}

/**
 * One chunk for a group that fits. Past that, chunks end where a route's name hashes to a boundary (content-defined
 * chunking, as in rsync), so that a route added, removed or moved to another group changes its own chunk, not every
 * later one, and `plan` shows a diff the size of the change. A boundary is likelier as a chunk grows (one in
 * STRONG_BOUNDARY, then one in two from LOOSE_FROM rules) so that the hard cut at MAX_RULES, which shifts, is rare.
 */
const STRONG_BOUNDARY = 8;
const LOOSE_FROM = 10;

function chunk(rules: readonly Rule[]): Rule[][] {
  if (rules.length <= MAX_RULES) return [[...rules]];
  const chunks: Rule[][] = [[]];
  for (const rule of rules) {
    const current = chunks.at(-1)!;
    current.push(rule);
    const hash = parseInt(sha256Hex(rule.route.name).slice(0, 8), 16);
    const boundary = hash % STRONG_BOUNDARY === 0 || (current.length >= LOOSE_FROM && hash % 2 === 0);
    if (boundary || current.length === MAX_RULES) chunks.push([]);
  }
  return chunks.filter((c) => c.length > 0);
}

/**
 * Retries of the HTTPRoute the controller generates under the AIGatewayRoute's name. Each lower priority level (a
 * ranked target, a fallback) needs one more attempt; passive health checks eject failing backends so that attempts
 * move on to the next priority.
 */
function retryPolicy(ir: IR, routeName: string, rule: Rule): Manifest {
  const { retry } = rule.route;
  const triggers = [
    ...(retry.statuses.length ? ['retriable-status-codes'] : []),
    ...(retry.onReset ? ['reset', 'connect-failure'] : []),
    ...(retry.onTimeout ? ['gateway-error'] : []),
  ];
  return {
    apiVersion: ENVOY_GATEWAY,
    kind: 'BackendTrafficPolicy',
    metadata: meta(ir, routeName),
    spec: {
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: routeName }],
      retry: {
        numRetries: retry.attempts + rule.failovers,
        perRetry: { backOff: { baseInterval: gatewayDuration(retry.backoffMs), maxInterval: gatewayDuration(retry.backoffMs * 10) } },
        retryOn: {
          triggers: triggers.length ? triggers : ['connect-failure'],
          ...(retry.statuses.length ? { httpStatusCodes: retry.statuses } : {}),
        },
      },
      ...(rule.failovers
        ? {
            healthCheck: {
              passive: {
                consecutive5XxErrors: 3,
                consecutiveGatewayErrors: 3,
                interval: '10s',
                baseEjectionTime: '30s',
                maxEjectionPercent: 100,
              },
            },
          }
        : {}),
    },
  };
}
