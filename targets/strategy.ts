// A route's strategy as the static order targets can express: `priority` (as written) and `lowest-cost` (by
// `rankingPrice`, cheapest first) rank the targets once; `weighted` and `lowest-latency` (which needs the latencies
// a gateway observes) do not.
import type { IRModelRef, IRProvider, IRRoute } from '../compiler/ir/types.ts';
import { rankingPrice } from '../kernel/ranking-price.ts';

/** The targets in the order the strategy tries them; undefined for the strategies that do not rank them. */
export function rankedTargets(r: IRRoute, providers: ReadonlyMap<string, IRProvider>): IRModelRef[] | undefined {
  const targets = r.targets.map((t) => ({ provider: t.provider, model: t.model }));
  if (r.strategy === 'priority') return targets;
  if (r.strategy !== 'lowest-cost') return undefined;
  const price = (t: IRModelRef) => rankingPrice(providers.get(t.provider)!.models.find((m) => m.name === t.model)!);
  return targets.sort((a, b) => price(a) - price(b));
}
