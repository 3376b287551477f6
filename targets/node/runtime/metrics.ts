// Prometheus metrics of one gateway process (prom-client, own registry so that several gateways can share a
// process in tests). They outlive config reloads. Request histograms leave the consumer label out: consumers
// times buckets is the cardinality that hurts; the counters carry it.
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { UsageRecord } from '../../../schema/types.ts';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests = this.counter('modelgate_requests_total', 'Requests answered, by route, provider, consumer and status.', ['route', 'provider', 'consumer', 'status']);
  private readonly duration = this.histogram('modelgate_request_duration_seconds', 'Time from request start to the last byte sent.', ['route', 'provider', 'status']);
  private readonly upstream = this.histogram(
    'modelgate_upstream_duration_seconds',
    'Duration of each upstream attempt, by provider, model and outcome (ok, HTTP status, timeout, reset).',
    ['provider', 'model', 'outcome'],
  );
  private readonly tokens = this.counter('modelgate_tokens_total', 'Tokens reported by providers, by direction (input, output).', ['route', 'provider', 'consumer', 'direction']);
  private readonly cost = this.counter('modelgate_cost_usd_total', 'Spend in USD from the providers\' model prices.', ['route', 'provider', 'consumer']);
  private readonly cache = this.counter('modelgate_cache_lookups_total', 'Response cache lookups, by route and result (hit, miss).', ['route', 'result']);
  private readonly rejections = this.counter('modelgate_rate_limit_rejections_total', 'Requests refused by a limit, by consumer and reason (requests, tokens, budget).', ['consumer', 'reason']);
  private readonly reloads = this.counter('modelgate_config_reloads_total', 'Config reloads, by result (success, failure).', ['result']);

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  private counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  private histogram<L extends string>(name: string, help: string, labelNames: L[]): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets: LATENCY_BUCKETS, registers: [this.registry] });
  }

  /** Everything a finished request tells: called once per usage record. */
  request(r: UsageRecord): void {
    const route = r.route ?? '';
    const provider = r.provider ?? '';
    const consumer = r.consumer ?? '';
    const status = String(r.status);
    this.requests.inc({ route, provider, consumer, status });
    this.duration.observe({ route, provider, status }, r.latencyMs / 1000);
    if (r.inputTokens) this.tokens.inc({ route, provider, consumer, direction: 'input' }, r.inputTokens);
    if (r.outputTokens) this.tokens.inc({ route, provider, consumer, direction: 'output' }, r.outputTokens);
    if (r.costUsd) this.cost.inc({ route, provider, consumer }, r.costUsd);
  }

  upstreamAttempt(provider: string, model: string, outcome: string, ms: number): void {
    this.upstream.observe({ provider, model, outcome }, ms / 1000);
  }

  cacheLookup(route: string, hit: boolean): void {
    this.cache.inc({ route, result: hit ? 'hit' : 'miss' });
  }

  rateLimited(consumer: string, reason: string): void {
    this.rejections.inc({ consumer, reason });
  }

  reload(ok: boolean): void {
    this.reloads.inc({ result: ok ? 'success' : 'failure' });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
