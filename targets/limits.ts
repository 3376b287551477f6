// Targets that cannot tell consumers apart turn per-consumer limits into one ceiling: the most the Node gateway
// could admit for the same grants. It never refuses what the gateway admits.
import type { IRAccessPolicy } from '../compiler/ir/types.ts';

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
