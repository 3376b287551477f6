// Counters and histograms for the request hot path: a series is a plain object found by one Map lookup and
// bumped in place, where prom-client's own metrics hash and validate their labels on every call. prom-client's
// registry formats them when scraped, through the `get()` shape it reads from every registered metric.
import type { Registry } from 'prom-client';

type Labels<L extends string> = Record<L, string>;

interface MetricValue {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

abstract class Family<L extends string, S extends { labels: Labels<L> }> {
  abstract readonly type: 'counter' | 'gauge' | 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, S>();

  constructor(
    registry: Registry,
    readonly name: string,
    readonly help: string,
  ) {
    // The registry reads only name, help, type, aggregator and get() from the metrics it formats.
    registry.registerMetric(this as never);
  }

  /** The series for `key` (any string unique per label set), made from `labels` the first time. */
  at(key: string, labels: () => Labels<L>): S {
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = this.create(labels())));
    return s;
  }

  protected abstract create(labels: Labels<L>): S;
  protected abstract values(s: S): MetricValue[];

  get() {
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values: [...this.series.values()].flatMap((s) => this.values(s)),
    };
  }
}

export interface CounterSeries<L extends string> {
  labels: Labels<L>;
  value: number;
}

export class CounterFamily<L extends string> extends Family<L, CounterSeries<L>> {
  readonly type = 'counter';
  protected create(labels: Labels<L>) {
    return { labels, value: 0 };
  }
  protected values(s: CounterSeries<L>) {
    return [{ labels: s.labels, value: s.value }];
  }
}

/** A value set, not added to: a series is `{ labels, value }` like a counter's. */
export class GaugeFamily<L extends string> extends Family<L, CounterSeries<L>> {
  readonly type = 'gauge';
  protected create(labels: Labels<L>) {
    return { labels, value: 0 };
  }
  protected values(s: CounterSeries<L>) {
    return [{ labels: s.labels, value: s.value }];
  }
}

export interface HistogramSeries<L extends string> {
  labels: Labels<L>;
  /** Per bucket, not cumulative; the last one is +Inf. */
  counts: number[];
  sum: number;
}

export class HistogramFamily<L extends string> extends Family<L, HistogramSeries<L>> {
  readonly type = 'histogram';

  constructor(
    registry: Registry,
    name: string,
    help: string,
    private readonly buckets: readonly number[],
  ) {
    super(registry, name, help);
  }

  observe(s: HistogramSeries<L>, value: number): void {
    let i = 0;
    while (i < this.buckets.length && value > this.buckets[i]) i++;
    s.counts[i]++;
    s.sum += value;
  }

  protected create(labels: Labels<L>) {
    return { labels, counts: new Array<number>(this.buckets.length + 1).fill(0), sum: 0 };
  }

  protected values(s: HistogramSeries<L>): MetricValue[] {
    let cumulative = 0;
    const out: MetricValue[] = s.counts.map((n, i) => {
      cumulative += n;
      return {
        metricName: `${this.name}_bucket`,
        labels: { ...s.labels, le: i < this.buckets.length ? this.buckets[i] : '+Inf' },
        value: cumulative,
      };
    });
    out.push(
      { metricName: `${this.name}_sum`, labels: s.labels, value: s.sum },
      { metricName: `${this.name}_count`, labels: s.labels, value: cumulative },
    );
    return out;
  }
}
