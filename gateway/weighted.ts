// Weighted random choice, shared by route targets and prompt versions.

export interface Weighted<T> {
  items: readonly { value: T; weight: number }[];
  total: number;
}

export function weighted<T>(items: readonly { value: T; weight: number }[]): Weighted<T> {
  return { items, total: items.reduce((sum, i) => sum + i.weight, 0) };
}

/** Picks by weight; when every weight is 0 the first item serves (a route always has somewhere to go). */
export function pick<T>(w: Weighted<T>, random: () => number = Math.random): T | undefined {
  if (w.items.length === 1 || w.total <= 0) return w.items[0]?.value;
  let r = random() * w.total;
  for (const item of w.items) {
    r -= item.weight;
    if (r < 0) return item.value;
  }
  return w.items[w.items.length - 1].value;
}
