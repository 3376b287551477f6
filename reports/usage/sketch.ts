// Latency percentiles in bounded memory: a fixed log-bucket histogram (the DDSketch idea). Every bucket spans
// values within ±1% of its midpoint, so any quantile is reported within ±1% of the exact value at that rank,
// whatever the number of samples, in 9 KB per group.
const RELATIVE_ACCURACY = 0.01;
const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);
/** Latencies at or below 10 µs count as 0; above ~28 hours as 28 hours. */
const MIN_MS = 0.01;
const MAX_MS = 1e8;
const OFFSET = Math.floor(Math.log(MIN_MS) / LOG_GAMMA);
const BUCKETS = Math.ceil(Math.log(MAX_MS) / LOG_GAMMA) - OFFSET + 1;

export class LatencySketch {
  private readonly counts = new Float64Array(BUCKETS);
  private zeros = 0;
  count = 0;

  add(ms: number): void {
    this.count++;
    if (ms > MIN_MS) this.counts[Math.ceil(Math.log(Math.min(ms, MAX_MS)) / LOG_GAMMA) - OFFSET]!++;
    else this.zeros++;
  }

  /** Nearest-rank quantile (q in 0..1) within ±1%, or null without samples. */
  quantile(q: number): number | null {
    if (this.count === 0) return null;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = this.zeros;
    if (seen >= rank) return 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return (2 * GAMMA ** (i + OFFSET)) / (GAMMA + 1);
    }
    return MAX_MS;
  }
}
