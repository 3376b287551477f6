// Which access policy lets a consumer call a route or prompt, and which provider models it may reach.
// Everything is precomputed from the IR (its label selectors resolved here, once per load) so that a request
// costs a few Map lookups.
import type { IR, IRAccessPolicy, IRModelRef, IRRoute } from '../compiler/ir/types.ts';
import { consumersOf } from '../kernel/subjects.ts';

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

/** What a consumer may call, by the policies that pick it; shared by consumers picked by the same policies. */
interface Grants {
  policies: IRAccessPolicy[];
  routes: Map<string, IRAccessPolicy>;
  prompts: Map<string, IRAccessPolicy>;
  visible: string[];
}

/** The shared answer for a consumer no policy names; frozen, like every array handed out here. */
const NONE = Object.freeze([]) as never[];

/**
 * Per grant name, the first policy of `list` (sorted by name) that grants it. Made once per distinct policy list:
 * consumers a label selects share theirs, so memory follows the distinct lists, not consumers × grants.
 */
function firstGrantByName(list: readonly IRAccessPolicy[], grants: (p: IRAccessPolicy) => string[]): Map<string, IRAccessPolicy> {
  const granted = new Map<string, IRAccessPolicy>();
  for (const policy of list) for (const name of grants(policy)) if (!granted.has(name)) granted.set(name, policy);
  return granted;
}

/** Each consumer's policies, sorted by name; consumers picked by the same policies share one frozen array. */
function policiesByConsumer(ir: IR, policies: readonly IRAccessPolicy[]): Map<string, IRAccessPolicy[]> {
  const resolve = consumersOf(ir);
  const byConsumer = new Map<string, IRAccessPolicy[]>();
  for (const policy of policies) {
    for (const c of resolve(policy)) {
      const list = byConsumer.get(c);
      if (list) list.push(policy);
      else byConsumer.set(c, [policy]);
    }
  }
  const shared = new Map<string, IRAccessPolicy[]>();
  for (const [consumer, list] of byConsumer) {
    const key = list.map((p) => p.name).join('\n');
    const same = shared.get(key);
    if (same) byConsumer.set(consumer, same);
    else shared.set(key, Object.freeze(list) as IRAccessPolicy[]);
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
  // One Grants per distinct policy list, shared by the consumers that have that list.
  const perList = new Map<IRAccessPolicy[], Grants>();
  const byConsumer = new Map<string, Grants>();
  for (const [consumer, list] of policiesByConsumer(ir, policies)) {
    let grants = perList.get(list);
    if (!grants) {
      const routes = firstGrantByName(list, (p) => p.routes);
      const visible = Object.freeze([...routes.keys()].sort()) as string[];
      perList.set(list, (grants = { policies: list, routes, prompts: firstGrantByName(list, (p) => p.prompts), visible }));
    }
    byConsumer.set(consumer, grants);
  }
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
    policiesFor: (consumer) => byConsumer.get(consumer)?.policies ?? NONE,
    authorizeRoute: (consumer, route) => byConsumer.get(consumer)?.routes.get(route),
    authorizePrompt: (consumer, prompt) => byConsumer.get(consumer)?.prompts.get(prompt),
    visibleRoutes: (consumer) => byConsumer.get(consumer)?.visible ?? NONE,
    allowedTargets: (policy, route) => targets.get(policy)?.get(route) ?? permittedModels(policy, route),
  };
}
