// Order statistics and number formatting for the result tables.

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Linear-interpolated quantile (q in 0..1) of unsorted values; NaN for none. */
export function quantile(values: readonly number[], q: number): number {
  return quantileSorted(
    [...values].sort((a, b) => a - b),
    q,
  );
}

export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** `1.23 s` / `456 ms`. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
}

export function formatMb(kb: number): string {
  return Number.isFinite(kb) ? `${(kb / 1024).toFixed(0)} MB` : 'n/a';
}

export function formatRatio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(value >= 10 ? 0 : 2)}×` : 'n/a';
}

export function formatInt(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a';
}

/**
 * A distribution-free interval for the median of the population `values` were drawn from: the order statistics
 * x(k) and x(n + 1 − k), k the largest for which the binomial tail still gives at least `level` coverage (so at
 * least 6 values for 95 %). [NaN, NaN] when there are too few values for that level.
 */
export function medianInterval(values: readonly number[], level = 0.95): [number, number] {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  // P(X ≤ i) for X ~ Binomial(n, 1/2), summed in log space so that large n does not underflow.
  let logPmf = -n * Math.LN2;
  let below = 0;
  let k = 0;
  for (let i = 0; i < n / 2; i++) {
    below += Math.exp(logPmf);
    if (2 * below > 1 - level) break;
    k = i + 1;
    logPmf += Math.log((n - i) / (i + 1));
  }
  return k === 0 ? [Number.NaN, Number.NaN] : [sorted[k - 1]!, sorted[n - k]!];
}
