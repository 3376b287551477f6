// Which access policy lets a consumer call a route or prompt, and which provider models it may reach.
// Everything is precomputed from the IR (its label selectors resolved here, once per load) so that a request
// costs a few Map lookups.
import type { IR, IRAccessPolicy, IRModelRef, IRRoute } from '../compiler/ir/types.ts';
import { consumersOf } from '../kernel/subjects.ts';

export interface AccessControl {
  /** The policies that pick the consumer, by name. Arrays returned by this interface are frozen. */
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

/** Per route and per prompt name, the first policy by name of a set that grants it. */
interface Grants {
  routes: ReadonlyMap<string, IRAccessPolicy>;
  prompts: ReadonlyMap<string, IRAccessPolicy>;
}

/**
 * A consumer's grants in two layers, so that memory follows the policies rather than consumers × grants: those of
 * the policies its labels select, shared by every consumer they select alike (a team), and over them those of the
 * policies naming it, only where one of these comes first by name.
 */
interface ConsumerGrants {
  selected: Grants & { policies: readonly IRAccessPolicy[]; visible: readonly string[] };
  named: Grants & { policies: readonly IRAccessPolicy[] };
  /** With grants of its own, made on the first `GET /v1/models` of the consumer. */
  visible?: readonly string[];
}

/** The shared answer for a consumer no policy names; frozen, like every array handed out here. */
const NONE = Object.freeze([]) as never[];
const EMPTY = new Map<string, IRAccessPolicy>();

function firstGrantByName(list: readonly IRAccessPolicy[], grants: (p: IRAccessPolicy) => string[]): Map<string, IRAccessPolicy> {
  const granted = new Map<string, IRAccessPolicy>();
  for (const policy of list) for (const name of grants(policy)) if (!granted.has(name)) granted.set(name, policy);
  return granted;
}

/** The named policies' grants that come before the selected ones' by name: all a consumer needs of its own. */
function overlay(named: readonly IRAccessPolicy[], selected: ReadonlyMap<string, IRAccessPolicy>, grants: (p: IRAccessPolicy) => string[]) {
  const own = new Map<string, IRAccessPolicy>();
  for (const [name, policy] of firstGrantByName(named, grants)) {
    const other = selected.get(name);
    if (!other || policy.name < other.name) own.set(name, policy);
  }
  return own.size ? own : EMPTY;
}

/** Every consumer a policy picks, with the policies (sorted by name) that name it and those that select it by label. */
function consumerGrants(ir: IR, policies: readonly IRAccessPolicy[]): Map<string, ConsumerGrants> {
  const resolve = consumersOf(ir);
  const lists = new Map<string, { named: IRAccessPolicy[]; selected: IRAccessPolicy[] }>();
  const listsOf = (c: string) => lists.get(c) ?? lists.set(c, { named: [], selected: [] }).get(c)!;
  for (const policy of policies) {
    const named = new Set(policy.subjects.consumers);
    for (const c of resolve(policy)) listsOf(c)[named.has(c) ? 'named' : 'selected'].push(policy);
  }
  const shared = new Map<string, ConsumerGrants['selected']>();
  const result = new Map<string, ConsumerGrants>();
  for (const [consumer, { named, selected }] of lists) {
    const key = selected.map((p) => p.name).join('\n');
    let common = shared.get(key);
    if (!common) {
      const routes = firstGrantByName(selected, (p) => p.routes);
      const visible = Object.freeze([...routes.keys()].sort());
      shared.set(key, (common = { policies: selected, routes, prompts: firstGrantByName(selected, (p) => p.prompts), visible }));
    }
    const own = {
      policies: named,
      routes: overlay(named, common.routes, (p) => p.routes),
      prompts: overlay(named, common.prompts, (p) => p.prompts),
    };
    result.set(consumer, { selected: common, named: own });
  }
  return result;
}

/** Route names the consumer may call, sorted; shared with its team unless policies naming it add some. */
function visibleOf(g: ConsumerGrants): readonly string[] {
  if (g.named.routes.size === 0) return g.selected.visible;
  g.visible ??= Object.freeze([...new Set([...g.selected.visible, ...g.named.routes.keys()])].sort());
  return g.visible;
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
  const byConsumer = consumerGrants(ir, policies);
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
    policiesFor: (consumer) => {
      const g = byConsumer.get(consumer);
      if (!g) return NONE;
      return Object.freeze([...g.named.policies, ...g.selected.policies].sort((a, b) => (a.name < b.name ? -1 : 1))) as IRAccessPolicy[];
    },
    authorizeRoute: (consumer, route) => {
      const g = byConsumer.get(consumer);
      return g && (g.named.routes.get(route) ?? g.selected.routes.get(route));
    },
    authorizePrompt: (consumer, prompt) => {
      const g = byConsumer.get(consumer);
      return g && (g.named.prompts.get(prompt) ?? g.selected.prompts.get(prompt));
    },
    visibleRoutes: (consumer) => {
      const g = byConsumer.get(consumer);
      return (g ? visibleOf(g) : NONE) as string[];
    },
    allowedTargets: (policy, route) => targets.get(policy)?.get(route) ?? permittedModels(policy, route),
  };
}
