// Targets that cannot tell consumers apart turn per-consumer limits into one ceiling: the most the Node gateway
// could admit for the same grants. It never refuses what the gateway admits.
import type { IR, IRAccessPolicy } from '../compiler/ir/types.ts';
import { grantsEvery } from '../kernel/grants.ts';
import { consumersOf } from '../kernel/subjects.ts';
import { shared, type BuildContext } from './target.ts';

/** Sum of the policies' per-consumer limits times their consumers, or undefined when some policy grants without that limit. */
export function limitCeiling(
  policies: readonly IRAccessPolicy[],
  key: 'requestsPerMinute' | 'tokensPerMinute',
  consumersOf: (p: IRAccessPolicy) => readonly string[],
): number | undefined {
  let sum = 0;
  for (const p of policies) {
    const limit = p.limits[key];
    if (limit === undefined) return undefined;
    sum += limit * consumersOf(p).length;
  }
  return sum > 0 ? sum : undefined;
}

/**
 * The access policies that grant any of some routes, in the IR's order. Indexed once by route name: filtering every
 * policy for every route is quadratic (a second of a 10,000-resource build).
 */
export function policiesGranting(ir: IR): (routes: Iterable<string>) => IRAccessPolicy[] {
  const byRoute = new Map<string, number[]>();
  const everyRoute: number[] = [];
  ir.accessPolicies.forEach((p, i) => {
    if (grantsEvery(p.routes)) everyRoute.push(i);
    else for (const r of p.routes) byRoute.get(r)?.push(i) ?? byRoute.set(r, [i]);
  });
  return (routes) => {
    const found = new Set(everyRoute);
    for (const r of routes) for (const i of byRoute.get(r) ?? []) found.add(i);
    return [...found].sort((a, b) => a - b).map((i) => ir.accessPolicies[i]!);
  };
}

/** What the ceilings of a run are worked out from: the policies granting some routes, and each policy's consumers. */
export interface LimitIndex {
  granting: (routes: Iterable<string>) => IRAccessPolicy[];
  subjects: (policy: IRAccessPolicy) => readonly string[];
}

/**
 * The run's limit index, made once for every target that needs it: envoy and envoy-ai-gateway each resolved every
 * policy's consumers (about a tenth of a second apiece at 10,000 resources).
 */
export const limitIndex = (ir: IR, context: BuildContext = {}): LimitIndex =>
  shared(context, 'limit-index', () => ({ granting: policiesGranting(ir), subjects: consumersOf(ir) }));
