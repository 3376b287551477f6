// Prometheus metrics of one gateway process: its own registry (several gateways may share a process in tests),
// prom-client's default process metrics, and the gateway's families. They outlive config reloads. Request
// histograms leave the consumer label out: consumers times buckets is the cardinality that hurts; counters carry it.
// Token and cost counters carry the access policy too (a function of consumer and route, so few more series): budgets
// and token limits are per (policy, consumer), and the generated alerts compare them per policy.
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { GuardrailVerdict, UsageRecord } from '../schema/types.ts';
import type { CircuitState } from './health/breaker.ts';
import { CounterFamily, GaugeFamily, HistogramFamily, type CounterSeries, type HistogramSeries } from './metric-families.ts';
import { ThresholdGauges } from './threshold-gauges.ts';

const CIRCUIT_VALUES = { closed: 0, open: 1, 'half-open': 2 } as const;

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const TOKEN_RATE_BUCKETS = [1, 5, 10, 20, 35, 50, 75, 100, 150, 250, 500, 1000, 5000];

type RequestLabels = 'api' | 'route' | 'provider' | 'consumer' | 'status';
type DurationLabels = 'api' | 'route' | 'provider' | 'status';
type TokenLabels = 'route' | 'provider' | 'policy' | 'consumer' | 'direction';
type CostLabels = 'route' | 'provider' | 'policy' | 'consumer';
type ModelLabels = 'route' | 'provider' | 'model';

/** Every series one kind of request touches, found with a single lookup. */
interface RequestSeries {
  requests: CounterSeries<RequestLabels>;
  duration: HistogramSeries<DurationLabels>;
  input: CounterSeries<TokenLabels>;
  output: CounterSeries<TokenLabels>;
  cost: CounterSeries<CostLabels>;
  /** Made on the first observation: most kinds of request never have one. */
  firstToken?: HistogramSeries<ModelLabels>;
  tokenRate?: HistogramSeries<ModelLabels>;
}

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests = new CounterFamily<RequestLabels>(
    this.registry,
    'modelgate_requests_total',
    'Requests answered, by API, route, provider, consumer and status.',
  );
  private readonly duration = new HistogramFamily<DurationLabels>(
    this.registry,
    'modelgate_request_duration_seconds',
    'Time from request start to the last byte sent.',
    LATENCY_BUCKETS,
  );
  private readonly upstream = new HistogramFamily<'provider' | 'model' | 'outcome'>(
    this.registry,
    'modelgate_upstream_duration_seconds',
    'Duration of each upstream attempt, by provider, model and outcome (ok, HTTP status, timeout, reset, cancelled, oversize).',
    LATENCY_BUCKETS,
  );
  private readonly tokens = new CounterFamily<TokenLabels>(
    this.registry,
    'modelgate_tokens_total',
    'Tokens reported by providers, by direction (input, output).',
  );
  private readonly cost = new CounterFamily<CostLabels>(
    this.registry,
    'modelgate_cost_usd_total',
    "Spend in USD from the providers' model prices.",
  );
  private readonly firstToken = new HistogramFamily<ModelLabels>(
    this.registry,
    'modelgate_time_to_first_token_seconds',
    'Streams: time from the request arriving to the first event written to the client.',
    LATENCY_BUCKETS,
  );
  private readonly tokenRate = new HistogramFamily<ModelLabels>(
    this.registry,
    'modelgate_output_tokens_per_second',
    'Output tokens per second of generation: after the first event for streams, over the upstream time for JSON answers.',
    TOKEN_RATE_BUCKETS,
  );
  private readonly cache = new CounterFamily<'route' | 'result'>(
    this.registry,
    'modelgate_cache_lookups_total',
    'Response cache lookups, by route and result (hit, miss).',
  );
  private readonly rejections = new CounterFamily<'consumer' | 'reason'>(
    this.registry,
    'modelgate_rate_limit_rejections_total',
    'Requests refused by a limit, by consumer and reason (requests, tokens, budget, mcp_calls).',
  );
  private readonly storeUp = new GaugeFamily<'store'>(
    this.registry,
    'modelgate_store_up',
    'Whether a Redis store (limits, cache) is reachable: 1 or 0; absent for a store in memory or not yet connected.',
  );
  private readonly circuits = new GaugeFamily<'provider' | 'model'>(
    this.registry,
    'modelgate_circuit_state',
    'The circuit breaker of each provider model: 0 closed, 1 open, 2 half-open.',
  );
  private readonly bypassed = new CounterFamily<'consumer'>(
    this.registry,
    'modelgate_limits_bypassed_total',
    'Requests let through unlimited and uncounted because the limits store was unreachable (onUnavailable: allow), by consumer.',
  );
  private readonly toolCalls = new CounterFamily<'server' | 'tool' | 'consumer' | 'outcome'>(
    this.registry,
    'modelgate_mcp_tool_calls_total',
    'MCP tool calls through /mcp, by server, tool, consumer and outcome (ok, tool_error, error, denied, rate_limited, upstream_failed, client_closed, detached).',
  );
  private readonly toolDuration = new HistogramFamily<'server' | 'tool' | 'outcome'>(
    this.registry,
    'modelgate_mcp_tool_call_duration_seconds',
    'Time from an MCP tool call to its answer, by server, tool and outcome.',
    LATENCY_BUCKETS,
  );
  private readonly guardrailVerdicts = new CounterFamily<'guardrail' | 'action' | 'category'>(
    this.registry,
    'modelgate_guardrail_verdicts_total',
    'Guardrail verdicts, by guardrail, action (block, mask, flag, error) and category (pii:email, secret, timeout, ...).',
  );
  private readonly reloads = new CounterFamily<'result'>(
    this.registry,
    'modelgate_config_reloads_total',
    'Config reloads, by result (success, failure).',
  );
  private readonly spans = new CounterFamily<'outcome'>(
    this.registry,
    'modelgate_trace_spans_total',
    'Spans the OTLP trace export is done with, by outcome: exported, dropped (its queue was full: the collector is down or slow) or failed (an export that failed).',
  );
  /** The config's limits, which the generated alerts compare usage with: set by the gateway at load and reload. */
  readonly thresholds = new ThresholdGauges();
  private readonly byRequest = new Map<string, RequestSeries>();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /**
   * Everything a finished request tells: called once per usage record, with the access policy that admitted it
   * ('' when none did) and, for a stream, the milliseconds from its arrival to its first event (else -1) and
   * from its first event to its upstream's end (the whole-text guardrails and the settle step come after).
   */
  request(r: UsageRecord, policy = '', firstEventMs = -1, generationMs?: number): void {
    const { api } = r;
    const route = r.route ?? '';
    const provider = r.provider ?? '';
    const model = r.model ?? '';
    const consumer = r.consumer ?? '';
    const status = String(r.status);
    const key = `${api}\0${route}\0${provider}\0${model}\0${policy}\0${consumer}\0${status}`;
    let s = this.byRequest.get(key);
    if (!s) this.byRequest.set(key, (s = this.seriesFor(api, route, provider, policy, consumer, status)));
    s.requests.value++;
    this.duration.observe(s.duration, r.latencyMs / 1000);
    s.input.value += r.inputTokens;
    s.output.value += r.outputTokens;
    s.cost.value += r.costUsd;
    if (firstEventMs >= 0) {
      s.firstToken ??= this.firstToken.at(`${route}\0${provider}\0${model}`, () => ({ route, provider, model }));
      this.firstToken.observe(s.firstToken, firstEventMs / 1000);
    }
    // A stream generates from its first event to its end; a JSON answer over its upstream time (0 for a cache hit).
    const generation = firstEventMs >= 0 ? (generationMs ?? r.latencyMs - firstEventMs) : (r.upstreamLatencyMs ?? 0);
    if (r.outputTokens > 0 && generation > 0) {
      s.tokenRate ??= this.tokenRate.at(`${route}\0${provider}\0${model}`, () => ({ route, provider, model }));
      this.tokenRate.observe(s.tokenRate, (r.outputTokens * 1000) / generation);
    }
    if (r.guardrails) this.guardrailVerdict(r.guardrails);
  }

  /** Each category of each verdict, once (model calls through `request`, MCP tool calls directly). */
  guardrailVerdict(verdicts: readonly GuardrailVerdict[]): void {
    for (const { guardrail, action, categories } of verdicts) {
      for (const category of categories) {
        this.guardrailVerdicts.at(`${guardrail}\0${action}\0${category}`, () => ({ guardrail, action, category })).value++;
      }
    }
  }

  /** The API labels requests and their durations only: token and cost counters stay per route (few series). */
  private seriesFor(api: string, route: string, provider: string, policy: string, consumer: string, status: string): RequestSeries {
    const key = `${route}\0${provider}\0${policy}\0${consumer}`;
    return {
      requests: this.requests.at(`${api}\0${route}\0${provider}\0${consumer}\0${status}`, () => ({
        api,
        route,
        provider,
        consumer,
        status,
      })),
      duration: this.duration.at(`${api}\0${route}\0${provider}\0${status}`, () => ({ api, route, provider, status })),
      input: this.tokens.at(`${key}\0input`, () => ({ route, provider, policy, consumer, direction: 'input' })),
      output: this.tokens.at(`${key}\0output`, () => ({ route, provider, policy, consumer, direction: 'output' })),
      cost: this.cost.at(key, () => ({ route, provider, policy, consumer })),
    };
  }

  upstreamAttempt(provider: string, model: string, outcome: string, ms: number): void {
    this.upstream.observe(
      this.upstream.at(`${provider}\0${model}\0${outcome}`, () => ({ provider, model, outcome })),
      ms / 1000,
    );
  }

  cacheLookup(route: string, hit: boolean): void {
    const result = hit ? 'hit' : 'miss';
    this.cache.at(`${route}\0${result}`, () => ({ route, result })).value++;
  }

  /** One MCP tool call; `tool` is '' when its name is not one the config or the server vouches for (label cardinality). */
  mcpToolCall(server: string, tool: string, consumer: string, outcome: string, ms: number): void {
    this.toolCalls.at(`${server}\0${tool}\0${consumer}\0${outcome}`, () => ({ server, tool, consumer, outcome })).value++;
    this.toolDuration.observe(
      this.toolDuration.at(`${server}\0${tool}\0${outcome}`, () => ({ server, tool, outcome })),
      ms / 1000,
    );
  }

  rateLimited(consumer: string, reason: string): void {
    this.rejections.at(`${consumer}\0${reason}`, () => ({ consumer, reason })).value++;
  }

  /** A Redis store became reachable (`up`) or unreachable. */
  store(store: string, up: boolean): void {
    this.storeUp.at(store, () => ({ store })).value = up ? 1 : 0;
  }

  circuit(provider: string, model: string, state: CircuitState): void {
    this.circuits.at(`${provider}\0${model}`, () => ({ provider, model })).value = CIRCUIT_VALUES[state];
  }

  limitsBypassed(consumer: string): void {
    this.bypassed.at(consumer, () => ({ consumer })).value++;
  }

  traceSpans(outcome: string, count: number): void {
    this.spans.at(outcome, () => ({ outcome })).value += count;
  }

  reload(ok: boolean): void {
    const result = ok ? 'success' : 'failure';
    this.reloads.at(result, () => ({ result })).value++;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  async text(): Promise<string> {
    return (await this.registry.metrics()) + this.thresholds.text;
  }
}
