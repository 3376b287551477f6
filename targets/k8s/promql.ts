// PromQL over the Node gateway's metrics (gateway/metrics.ts), shared by the alert rules and the dashboard so that a
// panel shows exactly what its alert compares. Every selector is scoped to the gateway's namespace: the label the
// Prometheus Operator's monitors and the usual Kubernetes service discovery put on what they scrape.
import type { IR, IRAccessPolicy } from '../../compiler/ir/types.ts';
import { gatewayDuration } from '../emit.ts';

/** The window of rates and quantiles: four scrapes at the common 1m interval, short enough to page on. */
export const RATE_WINDOW = '5m';

/** A number as PromQL reads it, without float noise (`0.8 * 45` is 36, not 36.00000000000001). */
export const num = (n: number): string => String(Math.round(n * 1e9) / 1e9);

/** Label matchers of this gateway's series, plus `extra` (`route="chat"`, `status=~"5.."`). */
export function selector(ir: IR, metric: string, ...extra: string[]): string {
  return `${metric}{${[`namespace=${quote(ir.gateway.kubernetes.namespace)}`, ...extra].join(',')}}`;
}

export const quote = (value: string): string => JSON.stringify(value);

/** Matches `label` to any of `values`: `=` for one, else a regex of them escaped (PromQL anchors regexes). */
export function matchAny(label: string, values: readonly string[]): string {
  if (values.length === 1) return `${label}=${quote(values[0]!)}`;
  return `${label}=~${quote(values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'))}`;
}

/** Resources that share a limit, alerted on by one rule (or queried by one expression) that selects them all. */
export interface Shared {
  limit: number;
  /** Sorted. */
  names: string[];
}

/** `items` grouped by `limitOf`, by ascending limit, names sorted: deterministic whatever the order of the config. */
export function byLimit<X extends { name: string }>(items: readonly X[], limitOf: (x: X) => number): Shared[] {
  const groups = new Map<number, string[]>();
  for (const item of items) {
    const limit = limitOf(item);
    const names = groups.get(limit);
    if (names) names.push(item.name);
    else groups.set(limit, [item.name]);
  }
  return [...groups]
    .sort(([x], [y]) => x - y)
    .map(([limit, names]) => ({ limit, names: names.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)) }));
}

const rate = (ir: IR, metric: string, ...extra: string[]) => `rate(${selector(ir, metric, ...extra)}[${RATE_WINDOW}])`;

/** Share of requests answered with a 5xx, over the whole gateway or `by` a label. */
export function errorRatio(ir: IR, by = ''): string {
  const sum = `sum${by ? ` by (${by})` : ''}`;
  return `${sum} (${rate(ir, 'modelgate_requests_total', 'status=~"5.."')}) / ${sum} (${rate(ir, 'modelgate_requests_total')})`;
}

/** Upstream attempts that say the provider is failing; `cancelled` (the client left) and other 4xx answers do not. */
const PROVIDER_FAILURE = 'outcome=~"5..|429|timeout|reset|oversize"';

export function providerFailureRatio(ir: IR): string {
  const attempts = 'modelgate_upstream_duration_seconds_count';
  return `sum by (provider) (${rate(ir, attempts, PROVIDER_FAILURE)}) / sum by (provider) (${rate(ir, attempts)})`;
}

/** The 95th percentile of a histogram per route; `extra` narrows the series. */
export function p95ByRoute(ir: IR, histogram: string, ...extra: string[]): string {
  return `histogram_quantile(0.95, sum by (route, le) (${rate(ir, `${histogram}_bucket`, ...extra)}))`;
}

/** Refusals by a limit are answered at once: they would hide slow answers in a latency quantile. */
export const ANSWERED = 'status!~"4.."';

export type Budgeted = IRAccessPolicy & { limits: { monthlyBudgetUsd: number } };
export type TokenLimited = IRAccessPolicy & { limits: { tokensPerMinute: number } };
export const budgeted = (p: IRAccessPolicy): p is Budgeted => p.limits.monthlyBudgetUsd !== undefined;
export const tokenLimited = (p: IRAccessPolicy): p is TokenLimited => p.limits.tokensPerMinute !== undefined;

/** Policies grouped by monthly budget, and by tokens per minute. */
export const byBudget = (policies: readonly IRAccessPolicy[]): Shared[] =>
  byLimit(policies.filter(budgeted), (p) => p.limits.monthlyBudgetUsd);
export const byTokenLimit = (policies: readonly IRAccessPolicy[]): Shared[] =>
  byLimit(policies.filter(tokenLimited), (p) => p.limits.tokensPerMinute);

/**
 * A consumer's spend over a whole month at its spend rate over `budgetWindow`, as a share of its policy's monthly
 * budget (budgets are per policy and consumer), for the policies of one budget: over 1, the budget runs out before
 * the month ends at this rate.
 */
export function budgetProjection(ir: IR, policies: Shared): string {
  const window = gatewayDuration(ir.gateway.alerts.budgetWindowMs);
  const spend = `sum by (policy, consumer) (rate(${selector(ir, 'modelgate_cost_usd_total', matchAny('policy', policies.names))}[${window}]))`;
  return `${spend} * 86400 * scalar(days_in_month()) / ${num(policies.limit)}`;
}

/** A consumer's tokens per minute (input and output, as the limiter counts them) as a share of its policy's limit. */
export function tokensPerMinuteShare(ir: IR, policies: Shared): string {
  const tokens = `sum by (policy, consumer) (${rate(ir, 'modelgate_tokens_total', matchAny('policy', policies.names))})`;
  return `${tokens} * 60 / ${num(policies.limit)}`;
}

/** The seconds within which a route must answer: its timeout, within the gateway's request timeout. */
export const routeTimeoutSeconds = (ir: IR, timeoutMs: number): number => Math.min(timeoutMs, ir.gateway.limits.requestTimeoutMs) / 1000;
