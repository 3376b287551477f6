// Which access policy lets a consumer call a route or prompt, and which provider models it may reach.
// Everything is precomputed from the IR (its label selectors resolved here, once per load) so that a request
// costs a few Map lookups.
import type { IR, IRAccessPolicy, IRModelRef, IRRoute } from '../compiler/ir/types.ts';
import { grantsEvery } from '../kernel/grants.ts';
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

/**
 * Per route and per prompt name, the first policy by name of a set that grants it: the names granted one by one
 * before the first policy granting `*` (by name), else that policy, for every name of the config.
 */
interface Grants {
  routes: ReadonlyMap<string, IRAccessPolicy>;
  prompts: ReadonlyMap<string, IRAccessPolicy>;
  everyRoute?: IRAccessPolicy;
  everyPrompt?: IRAccessPolicy;
}

/**
 * A consumer's grants in two layers, so that memory follows the policies rather than consumers × grants: those of
 * the policies its labels select, shared by every consumer selected by the same selectors (a team), and those of
 * the policies naming it. Of the two, the first policy by name decides.
 */
interface ConsumerGrants {
  selected: Grants & { policies: readonly IRAccessPolicy[]; visible?: readonly string[] };
  named: Grants & { policies: readonly IRAccessPolicy[] };
  /** With grants of its own, made on the first `GET /v1/models` of the consumer. */
  visible?: readonly string[];
}

/** The shared answer for a consumer no policy names; frozen, like every array handed out here. */
const NONE = Object.freeze([]) as never[];
const NO_GRANTS: ConsumerGrants['named'] = { policies: NONE, routes: new Map(), prompts: new Map() };

const byName = (a: IRAccessPolicy, b: IRAccessPolicy) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The grants of `list` (sorted by name): after a policy granting `*`, later ones cannot come first for any name. */
function grantsOf(list: readonly IRAccessPolicy[]): Grants {
  const routes = new Map<string, IRAccessPolicy>();
  const prompts = new Map<string, IRAccessPolicy>();
  let everyRoute: IRAccessPolicy | undefined;
  let everyPrompt: IRAccessPolicy | undefined;
  for (const policy of list) {
    if (!everyRoute && grantsEvery(policy.routes)) everyRoute = policy;
    else if (!everyRoute) for (const name of policy.routes) if (!routes.has(name)) routes.set(name, policy);
    if (!everyPrompt && grantsEvery(policy.prompts)) everyPrompt = policy;
    else if (!everyPrompt) for (const name of policy.prompts) if (!prompts.has(name)) prompts.set(name, policy);
  }
  return { routes, prompts, ...(everyRoute ? { everyRoute } : {}), ...(everyPrompt ? { everyPrompt } : {}) };
}

/** A label selector's canonical text: selectors written alike, in any key order, select alike. */
function selectorKey(labels: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * Every consumer a policy picks, with the policies (sorted by name) that name it and those that select it by label.
 * Each distinct selector is resolved once, and consumers matched by the same selectors share one table: the work
 * follows selectors and consumers, not policies × the consumers each selects.
 */
function consumerGrants(ir: IR, policies: readonly IRAccessPolicy[]): Map<string, ConsumerGrants> {
  const resolve = consumersOf(ir);
  const selectors = new Map<string, { id: number; policies: IRAccessPolicy[]; consumers: ReadonlySet<string> }>();
  const selectorOf = new Map<IRAccessPolicy, ReadonlySet<string>>();
  for (const policy of policies) {
    const { labels } = policy.subjects;
    if (!labels || Object.keys(labels).length === 0) continue;
    const key = selectorKey(labels);
    let selector = selectors.get(key);
    if (!selector) {
      const consumers = new Set(resolve({ subjects: { consumers: [], labels } }));
      selectors.set(key, (selector = { id: selectors.size, policies: [], consumers }));
    }
    selector.policies.push(policy);
    selectorOf.set(policy, selector.consumers);
  }
  const matched = new Map<string, number[]>();
  for (const { id, consumers } of selectors.values()) for (const c of consumers) (matched.get(c) ?? matched.set(c, []).get(c)!).push(id);
  const named = new Map<string, IRAccessPolicy[]>();
  for (const policy of policies) {
    for (const c of policy.subjects.consumers) {
      // A consumer its own policy also selects is in that policy's shared layer already.
      if (!selectorOf.get(policy)?.has(c)) (named.get(c) ?? named.set(c, []).get(c)!).push(policy);
    }
  }
  const bySelectors = [...selectors.values()];
  const shared = new Map<string, ConsumerGrants['selected']>();
  const none: ConsumerGrants['selected'] = { ...NO_GRANTS };
  const result = new Map<string, ConsumerGrants>();
  for (const consumer of new Set([...matched.keys(), ...named.keys()])) {
    const ids = matched.get(consumer);
    let selected = none;
    if (ids) {
      const key = ids.join(',');
      selected = shared.get(key)!;
      if (!selected) {
        const list = ids.flatMap((id) => bySelectors[id]!.policies).sort(byName);
        shared.set(key, (selected = { policies: list, ...grantsOf(list) }));
      }
    }
    const own = named.get(consumer);
    result.set(consumer, { selected, named: own ? { policies: own, ...grantsOf(own) } : NO_GRANTS });
  }
  return result;
}

/** The first of two policies by name, either of them absent. */
function first(a: IRAccessPolicy | undefined, b: IRAccessPolicy | undefined): IRAccessPolicy | undefined {
  return !a ? b : !b || a.name < b.name ? a : b;
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
  const byConsumer = consumerGrants(ir, [...ir.accessPolicies].sort(byName));
  const routeNames = new Set(ir.routes.map((r) => r.name));
  const promptNames = new Set(ir.prompts.map((p) => p.name));
  const allRoutes = Object.freeze([...routeNames].sort());
  const route = (g: Grants, name: string) => g.routes.get(name) ?? (g.everyRoute && routeNames.has(name) ? g.everyRoute : undefined);
  const prompt = (g: Grants, name: string) => g.prompts.get(name) ?? (g.everyPrompt && promptNames.has(name) ? g.everyPrompt : undefined);
  const visible = (g: Grants): readonly string[] => (g.everyRoute ? allRoutes : [...g.routes.keys()]);
  /** Route names the consumer may call, sorted; shared with its team unless policies naming it add some. */
  const visibleOf = (g: ConsumerGrants): readonly string[] => {
    g.selected.visible ??= Object.freeze([...visible(g.selected)].sort());
    if (g.named.routes.size === 0 && !g.named.everyRoute) return g.selected.visible;
    g.visible ??= Object.freeze([...new Set([...g.selected.visible, ...visible(g.named)])].sort());
    return g.visible;
  };
  // Made on a route's first request under a policy, keyed by the IR's own objects: callers pass the policy and
  // route they got from this IR, and route plans are memoized by the array returned.
  const targets = new WeakMap<IRAccessPolicy, WeakMap<IRRoute, IRModelRef[]>>();

  return {
    policiesFor: (consumer) => {
      const g = byConsumer.get(consumer);
      if (!g) return NONE;
      return Object.freeze([...g.named.policies, ...g.selected.policies].sort(byName)) as IRAccessPolicy[];
    },
    authorizeRoute: (consumer, name) => {
      const g = byConsumer.get(consumer);
      return g && first(route(g.named, name), route(g.selected, name));
    },
    authorizePrompt: (consumer, name) => {
      const g = byConsumer.get(consumer);
      return g && first(prompt(g.named, name), prompt(g.selected, name));
    },
    visibleRoutes: (consumer) => {
      const g = byConsumer.get(consumer);
      return (g ? visibleOf(g) : NONE) as string[];
    },
    allowedTargets: (policy, route) => {
      let perRoute = targets.get(policy);
      if (!perRoute) targets.set(policy, (perRoute = new WeakMap()));
      let allowed = perRoute.get(route);
      if (!allowed) perRoute.set(route, (allowed = permittedModels(policy, route)));
      return allowed;
    },
  };
}
