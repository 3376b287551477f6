// Folds usage records into per-group totals in one pass and bounded memory: counters plus a latency sketch
// per group, and cost per day and consumer for budgets and charts. Nothing per request is kept.
import type { UsageRecord } from '../../schema/types.ts';
import { OPERATIONAL_LINE, parseRecord } from './record.ts';
import { LatencySketch } from './sketch.ts';

/**
 * An MCP tool call answered with a JSON-RPC error (refused, rate limited, failed) or the tool's own error: the
 * gateway records those with HTTP 200, so the status alone would count none of them.
 */
const failedToolCall = (r: UsageRecord): boolean => r.mcp !== undefined && r.mcp.outcome !== 'ok' && r.mcp.outcome !== 'detached';

/** `api`: the ingress API; `tool`: `server/tool` of MCP tool calls (model requests are `(none)`). */
export const DIMENSIONS = ['consumer', 'route', 'provider', 'model', 'day', 'api', 'tool'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** Group names for requests that carry no value in the grouped field. */
export const UNAUTHENTICATED = '(unauthenticated)';
export const NONE = '(none)';

export interface GroupSummary {
  key: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** Requests answered with status >= 400. */
  errors: number;
  errorRate: number;
  cacheHits: number;
  /** Requests that looked in the cache (hit or miss; `bypass` does not count). */
  cacheLookups: number;
  cacheHitRate: number | null;
  /** Estimates within ±1% (see sketch.ts); null without requests. */
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
}

export interface MalformedLine {
  source: string;
  line: number;
  reason: string;
}

export interface UsageSummary {
  by: Dimension;
  /** Sorted: by day for `day`, else by cost (highest first), then name. */
  groups: GroupSummary[];
  totals: GroupSummary;
  /** Cost per UTC day and consumer, sorted by day then consumer. */
  daily: { day: string; consumer: string; costUsd: number }[];
  /** Cost per route, highest first. */
  routes: { route: string; costUsd: number }[];
  /** First and last `ts` counted (ISO), undefined without records. */
  first?: string;
  last?: string;
  lines: number;
  /** Well-formed lines left out by --since/--until. */
  outOfRange: number;
  /** The gateway's operational log lines, skipped (they come along when stdout and stderr are mixed). */
  operational: number;
  malformed: { count: number; first: MalformedLine[] };
}

export interface AggregateOptions {
  by: Dimension;
  /** Inclusive bounds in epoch ms. */
  since?: number;
  until?: number;
  /** How many malformed lines are listed by number (all are counted). */
  malformedListed?: number;
}

class GroupStats {
  requests = 0;
  inputTokens = 0;
  outputTokens = 0;
  costUsd = 0;
  errors = 0;
  cacheHits = 0;
  cacheLookups = 0;
  readonly latency = new LatencySketch();

  add(r: UsageRecord): void {
    this.requests++;
    this.inputTokens += r.inputTokens;
    this.outputTokens += r.outputTokens;
    this.costUsd += r.costUsd;
    if (r.status >= 400 || failedToolCall(r)) this.errors++;
    if (r.cache !== 'bypass') this.cacheLookups++;
    if (r.cache === 'hit') this.cacheHits++;
    this.latency.add(r.latencyMs);
  }

  summary(key: string): GroupSummary {
    return {
      key,
      requests: this.requests,
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      costUsd: roundUsd(this.costUsd),
      errors: this.errors,
      errorRate: this.requests ? this.errors / this.requests : 0,
      cacheHits: this.cacheHits,
      cacheLookups: this.cacheLookups,
      cacheHitRate: this.cacheLookups ? this.cacheHits / this.cacheLookups : null,
      latencyMs: { p50: this.latency.quantile(0.5), p95: this.latency.quantile(0.95), p99: this.latency.quantile(0.99) },
    };
  }
}

/** Float sums drift in the last digits; a micro-dollar is far below anything a report shows. */
const roundUsd = (usd: number): number => Math.round(usd * 1e6) / 1e6;

export class UsageAggregator {
  private readonly groups = new Map<string, GroupStats>();
  private readonly totals = new GroupStats();
  private readonly daily = new Map<string, Map<string, number>>();
  private readonly routes = new Map<string, number>();
  private readonly malformed: MalformedLine[] = [];
  private malformedCount = 0;
  private lines = 0;
  private outOfRange = 0;
  private operational = 0;
  private first: string | undefined;
  private last: string | undefined;
  /** The bounds in canonical timestamp form: compared as strings, like the records' timestamps. */
  private readonly since?: string;
  private readonly until?: string;

  constructor(private readonly opts: AggregateOptions) {
    if (opts.since !== undefined) this.since = new Date(opts.since).toISOString();
    if (opts.until !== undefined) this.until = new Date(opts.until).toISOString();
  }

  /** One log line; blank lines are ignored, malformed ones counted. */
  addLine(line: string, source: string, lineNumber: number): void {
    if (line.trim() === '') return;
    this.lines++;
    const parsed = parseRecord(line);
    if (parsed === OPERATIONAL_LINE) {
      this.operational++;
      return;
    }
    if (typeof parsed === 'string') {
      this.malformedCount++;
      if (this.malformed.length < (this.opts.malformedListed ?? 10)) this.malformed.push({ source, line: lineNumber, reason: parsed });
      return;
    }
    const { record, ts } = parsed;
    if ((this.since !== undefined && ts < this.since) || (this.until !== undefined && ts > this.until)) {
      this.outOfRange++;
      return;
    }
    if (this.first === undefined || ts < this.first) this.first = ts;
    if (this.last === undefined || ts > this.last) this.last = ts;
    const day = ts.slice(0, 10);
    const key = this.groupKey(record, day);
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = new GroupStats()));
    group.add(record);
    this.totals.add(record);

    const consumer = record.consumer ?? UNAUTHENTICATED;
    let costs = this.daily.get(day);
    if (!costs) this.daily.set(day, (costs = new Map()));
    costs.set(consumer, (costs.get(consumer) ?? 0) + record.costUsd);
    const route = record.route ?? NONE;
    this.routes.set(route, (this.routes.get(route) ?? 0) + record.costUsd);
  }

  private groupKey(r: UsageRecord, day: string): string {
    switch (this.opts.by) {
      case 'consumer':
        return r.consumer ?? UNAUTHENTICATED;
      case 'route':
        return r.route ?? NONE;
      case 'provider':
        return r.provider ?? NONE;
      case 'model':
        return r.provider && r.model ? `${r.provider}/${r.model}` : NONE;
      case 'day':
        return day;
      case 'api':
        return r.api;
      case 'tool':
        return r.mcp ? `${r.mcp.server}/${r.mcp.tool}` : NONE;
    }
  }

  summary(): UsageSummary {
    const groups = [...this.groups].map(([key, stats]) => stats.summary(key));
    groups.sort(this.opts.by === 'day' ? (a, b) => compare(a.key, b.key) : (a, b) => b.costUsd - a.costUsd || compare(a.key, b.key));
    const daily = [...this.daily]
      .flatMap(([day, costs]) => [...costs].map(([consumer, costUsd]) => ({ day, consumer, costUsd: roundUsd(costUsd) })))
      .sort((a, b) => compare(a.day, b.day) || compare(a.consumer, b.consumer));
    const routes = [...this.routes]
      .map(([route, costUsd]) => ({ route, costUsd: roundUsd(costUsd) }))
      .sort((a, b) => b.costUsd - a.costUsd || compare(a.route, b.route));
    return {
      by: this.opts.by,
      groups,
      totals: this.totals.summary('TOTAL'),
      daily,
      routes,
      ...(this.first !== undefined ? { first: this.first, last: this.last } : {}),
      lines: this.lines,
      outOfRange: this.outOfRange,
      operational: this.operational,
      malformed: { count: this.malformedCount, first: [...this.malformed] },
    };
  }
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
