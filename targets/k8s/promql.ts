// PromQL over the Node gateway's metrics (gateway/metrics.ts), shared by the alert rules and the dashboard so that a
// panel shows exactly what its alert compares. Every selector is scoped to the gateway's namespace: the label the
// Prometheus Operator's monitors and the usual Kubernetes service discovery put on what they scrape. Per-route and
// per-policy limits are not written here but read from the gauges the gateway serves, joined `on (route)` or
// `on (policy)`: the expressions are the same size whatever the number of routes and policies.
import type { IR, IRAccessPolicy } from '../../compiler/ir/types.ts';
import { POLICY_MONTHLY_BUDGET, POLICY_TOKENS_PER_MINUTE, ROUTE_TIMEOUT, type ThresholdMetric } from '../../gateway/threshold-gauges.ts';
import { gatewayDuration } from '../emit.ts';

/** The window of rates and quantiles: four scrapes at the common 1m interval, short enough to page on. */
export const RATE_WINDOW = '5m';

/** A number as PromQL reads it, without float noise (`0.8 * 45` is 36, not 36.00000000000001). */
export const num = (n: number): string => String(Math.round(n * 1e9) / 1e9);

/** Label matchers of this gateway's series, plus `extra` (`route="chat"`, `status=~"5.."`). */
export function selector(ir: IR, metric: string, ...extra: string[]): string {
  return `${metric}{${[`namespace=${quote(ir.gateway.kubernetes.namespace)}`, ...extra].join(',')}}`;
}

const quote = (value: string): string => JSON.stringify(value);

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

export const budgeted = (p: IRAccessPolicy): boolean => p.limits.monthlyBudgetUsd !== undefined;
export const tokenLimited = (p: IRAccessPolicy): boolean => p.limits.tokensPerMinute !== undefined;

/**
 * A limit the gateway serves as a gauge (gateway/threshold-gauges.ts), one series per route or policy. Every replica
 * serves it: they differ only while a rollout or reload is under way, and then the higher one counts.
 */
const served = (ir: IR, metric: ThresholdMetric, by: 'route' | 'policy'): string => `max by (${by}) (${selector(ir, metric)})`;

/**
 * A consumer's spend over a whole month at its spend rate over `budgetWindow`, as a share of its policy's monthly
 * budget (budgets are per policy and consumer): over 1, the budget runs out before the month ends at this rate.
 * Policies without a budget serve no budget gauge, so their spend matches nothing.
 */
export function budgetProjection(ir: IR): string {
  const window = gatewayDuration(ir.gateway.alerts.budgetWindowMs);
  const spend = `sum by (policy, consumer) (rate(${selector(ir, 'modelgate_cost_usd_total')}[${window}]))`;
  return `${spend} * 86400 * scalar(days_in_month()) / on (policy) group_left ${served(ir, POLICY_MONTHLY_BUDGET, 'policy')}`;
}

/** A consumer's tokens per minute (input and output, as the limiter counts them) as a share of its policy's limit. */
export function tokensPerMinuteShare(ir: IR): string {
  const tokens = `sum by (policy, consumer) (${rate(ir, 'modelgate_tokens_total')})`;
  return `${tokens} * 60 / on (policy) group_left ${served(ir, POLICY_TOKENS_PER_MINUTE, 'policy')}`;
}

/** The p95 of `histogram` on each route where it is over `latencyRatioOfTimeout` of the route's timeout. */
export function p95OverTimeout(ir: IR, histogram: string, ...extra: string[]): string {
  const ratio = num(ir.gateway.alerts.latencyRatioOfTimeout);
  return `${p95ByRoute(ir, histogram, ...extra)} > on (route) ${served(ir, ROUTE_TIMEOUT, 'route')} * ${ratio}`;
}
