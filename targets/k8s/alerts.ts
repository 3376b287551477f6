// The gateway's alerts as a Prometheus Operator `PrometheusRule`: thresholds from the config (each route's timeout,
// each access policy's token limit and monthly budget) scaled by `Gateway.spec.alerts`, over the metrics the Node
// gateway serves. Routes (or policies) that share a threshold share one rule, which selects them all by name and
// names each from its series' labels: the object stays within Kubernetes' 1 MiB limit as the repo grows.
import type { IR } from '../../compiler/ir/types.ts';
import type { GatewayAlerts } from '../../schema/types.ts';
import { GATEWAY_SERVICE, gatewayDuration } from '../emit.ts';
import { metadata, type ObjectMeta } from './objects.ts';
import {
  ANSWERED,
  budgetProjection,
  byBudget,
  byLimit,
  byTokenLimit,
  errorRatio,
  matchAny,
  num,
  p95ByRoute,
  providerFailureRatio,
  RATE_WINDOW,
  routeTimeoutSeconds,
  selector,
  tokensPerMinuteShare,
} from './promql.ts';

export type AlertName = NonNullable<GatewayAlerts['disable']>[number];

export interface AlertRule {
  alert: AlertName;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: { summary: string; description: string };
}

export interface PrometheusRule {
  apiVersion: 'monitoring.coreos.com/v1';
  kind: 'PrometheusRule';
  metadata: ObjectMeta;
  spec: { groups: { name: string; rules: AlertRule[] }[] };
}

type Severity = 'critical' | 'warning';
/**
 * `limit` labels the rule of one threshold with the limit it derives from (`timeout_seconds: "90"`): rules of one
 * alert name must differ in their labels (promtool's duplicate-rules lint), and the alert says which limit it is near.
 */
type Draft = Omit<AlertRule, 'for' | 'labels'> & { severity: Severity; limit?: Record<string, string> };

const percent = (ratio: number) => `${num(ratio * 100)}%`;

function gatewayRules(ir: IR): Draft[] {
  const a = ir.gateway.alerts;
  const limits = ir.gateway.stores.limits;
  return [
    {
      alert: 'ModelgateErrorRatioHigh',
      expr: `${errorRatio(ir)} > ${num(a.errorRatio)}`,
      severity: 'critical',
      annotations: {
        summary: `More than ${percent(a.errorRatio)} of the gateway's requests fail with a 5xx.`,
        description: `{{ $value | humanizePercentage }} of the requests to the gateway in ${ir.gateway.kubernetes.namespace} were answered with a 5xx over the last ${RATE_WINDOW}.`,
      },
    },
    {
      alert: 'ModelgateProviderFailing',
      expr: `${providerFailureRatio(ir)} > ${num(a.providerFailureRatio)}`,
      severity: 'warning',
      annotations: {
        summary: 'Provider {{ $labels.provider }} fails {{ $value | humanizePercentage }} of its attempts.',
        description: `More than ${percent(a.providerFailureRatio)} of the attempts at provider {{ $labels.provider }} ended in a 5xx, 429, timeout, reset or oversized answer over the last ${RATE_WINDOW}; retries and fallbacks carry the load where the routes have them.`,
      },
    },
    ...(limits.type === 'redis'
      ? [
          {
            alert: 'ModelgateLimitStoreDown',
            expr: `min by (store) (${selector(ir, 'modelgate_store_up', 'store="limits"')}) == 0`,
            // `deny` refuses every limited request while the store is down; `allow` serves them without limits.
            severity: limits.onUnavailable === 'deny' ? 'critical' : 'warning',
            annotations: {
              summary: 'A gateway replica cannot reach the Redis limit store.',
              description:
                limits.onUnavailable === 'deny'
                  ? 'Requests under an access policy with limits or budgets are refused with a 503 `limits_unavailable` until Redis answers again (`stores.limits.onUnavailable: deny`).'
                  : 'Requests under an access policy with limits or budgets are served without limits until Redis answers again (`stores.limits.onUnavailable: allow`); see modelgate_limits_bypassed_total.',
            },
          } satisfies Draft,
        ]
      : []),
    {
      alert: 'ModelgateCircuitOpen',
      expr: `max by (provider, model) (${selector(ir, 'modelgate_circuit_state')}) == 1`,
      severity: 'warning',
      annotations: {
        summary: 'The circuit of {{ $labels.provider }}/{{ $labels.model }} is open.',
        description:
          "The gateway skips {{ $labels.provider }}/{{ $labels.model }} for its routes' next targets and fallbacks until half-open probes succeed.",
      },
    },
  ];
}

function routeRules(ir: IR): Draft[] {
  const ratio = ir.gateway.alerts.latencyRatioOfTimeout;
  const timeoutOf = (route: IR['routes'][number]) => routeTimeoutSeconds(ir, route.timeoutMs);
  const latency = byLimit(ir.routes, timeoutOf).map(
    ({ limit: timeout, names }): Draft => ({
      alert: 'ModelgateRouteLatencyHigh',
      limit: { timeout_seconds: num(timeout) },
      expr: `${p95ByRoute(ir, 'modelgate_request_duration_seconds', matchAny('route', names), ANSWERED)} > ${num(ratio * timeout)}`,
      severity: 'warning',
      annotations: {
        summary: 'Route {{ $labels.route }} answers slowly: p95 {{ $value | humanizeDuration }}.',
        description: `The 95th percentile of the answers of route {{ $labels.route }} took over ${percent(ratio)} of its ${num(timeout)}s timeout over the last ${RATE_WINDOW}; requests near the timeout fail with a 504.`,
      },
    }),
  );
  const chats = ir.routes.filter((route) => route.type === 'chat');
  const firstToken = byLimit(chats, timeoutOf).map(
    ({ limit: timeout, names }): Draft => ({
      alert: 'ModelgateRouteFirstTokenSlow',
      limit: { timeout_seconds: num(timeout) },
      expr: `${p95ByRoute(ir, 'modelgate_time_to_first_token_seconds', matchAny('route', names))} > ${num(ratio * timeout)}`,
      severity: 'warning',
      annotations: {
        summary: 'Streams of route {{ $labels.route }} wait {{ $value | humanizeDuration }} (p95) for their first token.',
        description: `The 95th percentile of the time to the first streamed event on route {{ $labels.route }} is over ${percent(ratio)} of its ${num(timeout)}s timeout over the last ${RATE_WINDOW}.`,
      },
    }),
  );
  return [...latency, ...firstToken];
}

function policyRules(ir: IR): Draft[] {
  const a = ir.gateway.alerts;
  const window = gatewayDuration(a.budgetWindowMs);
  return [
    ...byBudget(ir.accessPolicies).map(
      (policies): Draft => ({
        alert: 'ModelgateBudgetBurn',
        limit: { monthly_budget_usd: num(policies.limit) },
        expr: `${budgetProjection(ir, policies)} > ${num(a.budgetProjection)}`,
        severity: 'warning',
        annotations: {
          summary: `{{ $labels.consumer }} is on course to spend {{ $value | humanizePercentage }} of its $${num(policies.limit)} monthly budget (policy {{ $labels.policy }}).`,
          description: `At its spend rate over the last ${window}, consumer {{ $labels.consumer }} would spend more than ${percent(a.budgetProjection)} of the monthly budget of access policy {{ $labels.policy }} in a month; once the budget is spent its requests are refused with 429 \`insufficient_quota\` until the month ends (UTC).`,
        },
      }),
    ),
    ...byTokenLimit(ir.accessPolicies).map(
      (policies): Draft => ({
        alert: 'ModelgateTokensPerMinuteNearLimit',
        limit: { tokens_per_minute: num(policies.limit) },
        expr: `${tokensPerMinuteShare(ir, policies)} > ${num(a.tokensPerMinuteRatio)}`,
        severity: 'warning',
        annotations: {
          summary: `{{ $labels.consumer }} uses {{ $value | humanizePercentage }} of its ${num(policies.limit)} tokens per minute (policy {{ $labels.policy }}).`,
          description: `Consumer {{ $labels.consumer }} averaged more than ${percent(a.tokensPerMinuteRatio)} of the tokens per minute that access policy {{ $labels.policy }} allows over the last ${RATE_WINDOW}; past the limit its requests get 429 \`rate_limit_exceeded\`.`,
        },
      }),
    ),
  ];
}

/** The PrometheusRule, or undefined when alerts are off or every alert is disabled. */
export function prometheusRule(ir: IR): PrometheusRule | undefined {
  const a = ir.gateway.alerts;
  if (!a.enabled) return undefined;
  const disabled = new Set(a.disable);
  const finish = ({ severity, limit, ...rule }: Draft): AlertRule => ({
    alert: rule.alert,
    expr: rule.expr,
    for: gatewayDuration(a.forMs),
    labels: { severity, ...a.labels, ...limit },
    annotations: rule.annotations,
  });
  const groups = [
    { name: 'modelgate.gateway', rules: gatewayRules(ir) },
    { name: 'modelgate.routes', rules: routeRules(ir) },
    { name: 'modelgate.access-policies', rules: policyRules(ir) },
  ]
    .map((g) => ({ name: g.name, rules: g.rules.filter((r) => !disabled.has(r.alert)).map(finish) }))
    .filter((g) => g.rules.length > 0);
  if (groups.length === 0) return undefined;
  const meta = metadata(ir, 'gateway', GATEWAY_SERVICE);
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { ...meta, labels: { ...meta.labels, ...a.resourceLabels } },
    spec: { groups },
  };
}
