// What a change to a route's `strategy` does, in words: the field diff of a removed strategy shows only what went,
// not that the default (`weighted`) orders the targets again.
import type { Route } from '../../schema/types.ts';
import { SCHEMA_DEFAULTS } from '../../schema/values.ts';

type Strategy = NonNullable<Route['spec']['strategy']>;

const HOW: Record<Strategy, string> = {
  weighted: 'picks one target by weight',
  priority: 'tries the targets in the order written',
  'lowest-latency': 'tries the fastest target first (by its recent latency)',
  'lowest-cost': 'tries the cheapest target first',
};

/** `~ picks one target by weight (was: tries the cheapest target first)` when the route's effective strategy changes. */
export function routeStrategyEffects(before: unknown, after: unknown): string[] {
  if (!before || !after) return [];
  const strategy = (route: unknown): Strategy => (route as Route).spec?.strategy ?? (SCHEMA_DEFAULTS.Route['spec.strategy'] as Strategy);
  const [was, now] = [strategy(before), strategy(after)];
  return was === now ? [] : [`~ ${HOW[now]} (was: ${HOW[was]})`];
}
