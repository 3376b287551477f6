// Envoy cannot tell consumers apart by API key, so per-consumer request limits become one ceiling: the most
// requests per minute the Node gateway could admit for the same grants. It never refuses what the gateway admits.
import type { IRAccessPolicy } from '../../compiler/ir/types.ts';

/** Sum of the policies' per-consumer limits, or undefined when some policy grants without a request limit. */
export function requestCeiling(policies: readonly IRAccessPolicy[]): number | undefined {
  let sum = 0;
  for (const p of policies) {
    if (p.limits.requestsPerMinute === undefined) return undefined;
    sum += p.limits.requestsPerMinute * p.consumers.length;
  }
  return sum > 0 ? sum : undefined;
}
