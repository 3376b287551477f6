// Weighted lists (route targets, prompt rollouts): either no weights (an even split) or weights summing to 100.
import type { AnyResource, DocPath } from '../kernel/resource.ts';
import type { Finding } from './rule.ts';

export function* weightFindings(
  resource: AnyResource,
  items: readonly { weight?: number }[] | undefined,
  listPath: DocPath,
  what: string,
): Generator<Finding> {
  const list = items ?? [];
  const weighted = list.filter((t) => t.weight !== undefined);
  if (weighted.length === 0) return;
  if (weighted.length < list.length) {
    for (const [i, item] of list.entries()) {
      if (item.weight !== undefined) continue;
      yield {
        resource,
        path: [...listPath, i],
        message: `This entry of ${what} has no weight while others have one.`,
        hint: 'Give every entry a weight (summing to 100), or none for an even split.',
      };
    }
    return;
  }
  const sum = weighted.reduce((s, t) => s + t.weight!, 0);
  if (sum !== 100) {
    yield {
      resource,
      path: listPath,
      message: `The weights of ${what} sum to ${sum}, not 100.`,
      hint: 'Weights are percentages of traffic: make them sum to 100.',
    };
  }
}
