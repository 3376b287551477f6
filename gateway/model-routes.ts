// Which route serves the `model` a client asks for: a route name, else an exact alias (one Map holds both, names
// winning), else the first alias pattern that matches, most specific first (kernel/model-glob.ts). The lint rules
// make every id land on one route; where they were switched off, the IR's order (routes by name) decides.
import type { IRRoute } from '../compiler/ir/types.ts';
import { bySpecificity, compileModelGlob } from '../kernel/model-glob.ts';

export interface ModelRoutes {
  /** The route that serves this model id, or undefined. */
  resolve(id: string): IRRoute | undefined;
  /** What `GET /v1/models` lists for these route names: each name and its exact aliases that lead to it, sorted. */
  listed(routeNames: readonly string[]): readonly string[];
}

export function createModelRoutes(routes: readonly IRRoute[]): ModelRoutes {
  const byId = new Map<string, IRRoute>();
  for (const route of routes) for (const id of route.aliases?.exact ?? []) if (!byId.has(id)) byId.set(id, route);
  for (const route of routes) byId.set(route.name, route);
  const patterns = routes
    .flatMap((route) => (route.aliases?.patterns ?? []).map((pattern) => ({ pattern, route })))
    .sort((a, b) => bySpecificity(a.pattern, b.pattern) || (a.route.name < b.route.name ? -1 : 1))
    .map(({ pattern, route }) => ({ matches: compileModelGlob(pattern), route }));
  // Keyed by the access control's per-consumer arrays, which are shared and frozen: computed once per consumer.
  const lists = new WeakMap<readonly string[], readonly string[]>();
  return {
    resolve: (id) => byId.get(id) ?? patterns.find((p) => p.matches(id))?.route,
    listed(names) {
      let ids = lists.get(names);
      if (!ids) {
        const aliases = names.flatMap((name) => byId.get(name)?.aliases?.exact.filter((id) => byId.get(id)?.name === name) ?? []);
        lists.set(names, (ids = Object.freeze([...names, ...aliases].sort())));
      }
      return ids;
    },
  };
}
