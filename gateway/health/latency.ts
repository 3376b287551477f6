// The observed latency of one provider model: the mean of its recent successful attempts, for `lowest-latency`.

/** Samples older than this no longer count: a model not tried for a while is measured again. */
export const LATENCY_WINDOW_MS = 30_000;
const SAMPLES = 32;

export class LatencyWindow {
  private readonly at = new Float64Array(SAMPLES);
  private readonly ms = new Float64Array(SAMPLES);
  private next = 0;
  private size = 0;

  add(ms: number, now: number): void {
    this.at[this.next] = now;
    this.ms[this.next] = ms;
    this.next = (this.next + 1) % SAMPLES;
    if (this.size < SAMPLES) this.size++;
  }

  /** The mean of the samples of the last LATENCY_WINDOW_MS (of `now`, a `performance.now()` value); -1 when none. */
  mean(now: number): number {
    let sum = 0;
    let n = 0;
    for (let i = 0; i < this.size; i++) {
      if (now - this.at[i]! <= LATENCY_WINDOW_MS) {
        sum += this.ms[i]!;
        n++;
      }
    }
    return n === 0 ? -1 : sum / n;
  }
}
