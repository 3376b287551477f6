// Which access policy lets a consumer call a route or prompt, and which provider models it may reach.
// Everything is precomputed from the IR so that a request costs two Map lookups.
import type { IR, IRAccessPolicy, IRModelRef, IRRoute } from '../compiler/ir/types.ts';

export interface AccessControl {
  /** The policies naming the consumer, by name. Arrays returned by this interface are shared and frozen. */
  policiesFor(consumer: string): IRAccessPolicy[];
  /**
   * The policy under which the consumer may call the route, or undefined. When several policies
   * grant it, the first by name decides (its limits, redaction and allowed models apply): a stable
   * rule, independent of file order, that the author controls by naming.
   */
  authorizeRoute(consumer: string, route: string): IRAccessPolicy | undefined;
  /** Same rule as `authorizeRoute`, for prompts. */
  authorizePrompt(consumer: string, prompt: string): IRAccessPolicy | undefined;
  /** Route names the consumer may call, sorted: what `GET /v1/models` lists. */
  visibleRoutes(consumer: string): string[];
  /**
   * The route's targets, then its fallbacks, that the policy's `allowedModels` permits, in the
   * route's order and as the IR's own objects (a target keeps its `weight`). A model listed both as
   * a target and as a fallback appears once, as a target. Empty when the policy permits none.
   */
  allowedTargets(policy: IRAccessPolicy, route: IRRoute): IRModelRef[];
}

/** The shared answer for a consumer no policy names; frozen, like every array handed out here. */
const NONE = Object.freeze([]) as never[];

function firstGrantByName(
  policies: readonly IRAccessPolicy[],
  grants: (p: IRAccessPolicy) => string[],
): Map<string, Map<string, IRAccessPolicy>> {
  const byConsumer = new Map<string, Map<string, IRAccessPolicy>>();
  for (const policy of policies) {
    for (const consumer of policy.consumers) {
      let granted = byConsumer.get(consumer);
      if (!granted) byConsumer.set(consumer, (granted = new Map()));
      for (const name of grants(policy)) if (!granted.has(name)) granted.set(name, policy);
    }
  }
  return byConsumer;
}

function permittedModels(policy: IRAccessPolicy, route: IRRoute): IRModelRef[] {
  const allowed = policy.allowedModels ? new Set(policy.allowedModels) : undefined;
  const seen = new Set<string>();
  const result: IRModelRef[] = [];
  for (const ref of [...route.targets, ...route.fallbacks]) {
    const id = `${ref.provider}/${ref.model}`;
    if (seen.has(id) || (allowed && !allowed.has(id))) continue;
    seen.add(id);
    result.push(ref);
  }
  return Object.freeze(result) as IRModelRef[];
}

export function createAccessControl(ir: IR): AccessControl {
  const policies = [...ir.accessPolicies].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const routeGrants = firstGrantByName(policies, (p) => p.routes);
  const promptGrants = firstGrantByName(policies, (p) => p.prompts);
  const byConsumer = new Map<string, IRAccessPolicy[]>();
  for (const policy of policies) for (const c of policy.consumers) byConsumer.set(c, [...(byConsumer.get(c) ?? []), policy]);
  for (const list of byConsumer.values()) Object.freeze(list);
  const visible = new Map([...routeGrants].map(([consumer, routes]) => [consumer, Object.freeze([...routes.keys()].sort())]));
  // Keyed by the IR's own objects: callers pass the policy and route they got from this IR.
  const routesByName = new Map(ir.routes.map((r) => [r.name, r]));
  const targets = new WeakMap<IRAccessPolicy, WeakMap<IRRoute, IRModelRef[]>>();
  for (const policy of policies) {
    const perRoute = new WeakMap<IRRoute, IRModelRef[]>();
    for (const name of policy.routes) {
      const route = routesByName.get(name);
      if (route) perRoute.set(route, permittedModels(policy, route));
    }
    targets.set(policy, perRoute);
  }

  return {
    policiesFor: (consumer) => byConsumer.get(consumer) ?? NONE,
    authorizeRoute: (consumer, route) => routeGrants.get(consumer)?.get(route),
    authorizePrompt: (consumer, prompt) => promptGrants.get(consumer)?.get(prompt),
    visibleRoutes: (consumer) => (visible.get(consumer) as string[] | undefined) ?? NONE,
    allowedTargets: (policy, route) => targets.get(policy)?.get(route) ?? permittedModels(policy, route),
  };
}
