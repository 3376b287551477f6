// The gateway's alerts as a Prometheus Operator `PrometheusRule`, over the metrics the Node gateway serves, with
// thresholds scaled by `Gateway.spec.alerts`. The per-route and per-policy limits (each route's timeout, each access
// policy's token limit and monthly budget) are gauges the gateway serves from the config in force, which one rule per
// alert compares the usage with: the object has the same size for ten routes or a hundred thousand, and follows a
// reload without a new rule.
import type { IR } from '../../compiler/ir/types.ts';
import type { GatewayAlerts } from '../../schema/types.ts';
import { GATEWAY_SERVICE, gatewayDuration } from '../emit.ts';
import { metadata, type ObjectMeta } from './objects.ts';
import { POLICY_MONTHLY_BUDGET, POLICY_TOKENS_PER_MINUTE, ROUTE_TIMEOUT, type ThresholdMetric } from '../../gateway/threshold-gauges.ts';
import {
  ANSWERED,
  budgeted,
  budgetProjection,
  errorRatio,
  num,
  p95OverTimeout,
  providerFailureRatio,
  RATE_WINDOW,
  selector,
  tokenLimited,
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
type Draft = Omit<AlertRule, 'for' | 'labels'> & { severity: Severity };

const percent = (ratio: number) => `${num(ratio * 100)}%`;
/** The alerts of what the config has: no budget alert without a budgeted policy, and the like. */
const when = (present: boolean, draft: Draft): Draft[] => (present ? [draft] : []);

function gatewayRules(ir: IR): Draft[] {
  const a = ir.gateway.alerts;
  const limits = ir.gateway.stores.limits;
  const denies = limits.type === 'redis' && limits.onUnavailable === 'deny';
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
    ...when(limits.type === 'redis', {
      alert: 'ModelgateLimitStoreDown',
      expr: `min by (store) (${selector(ir, 'modelgate_store_up', 'store="limits"')}) == 0`,
      // `deny` refuses every limited request while the store is down; `allow` serves them without limits.
      severity: denies ? 'critical' : 'warning',
      annotations: {
        summary: 'A gateway replica cannot reach the Redis limit store.',
        description: denies
          ? 'Requests under an access policy with limits or budgets are refused with a 503 `limits_unavailable` until Redis answers again (`stores.limits.onUnavailable: deny`).'
          : 'Requests under an access policy with limits or budgets are served without limits until Redis answers again (`stores.limits.onUnavailable: allow`); see modelgate_limits_bypassed_total.',
      },
    }),
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

/**
 * The limit the gateway serves for the alert's route or policy, as the annotation shows it: the rule itself names no
 * route, policy or limit, so Prometheus looks the value up when it renders the alert.
 */
function servedLimit(ir: IR, metric: ThresholdMetric, by: 'route' | 'policy', format: 'humanize' | 'humanizeDuration'): string {
  const lookup = `printf \`max(${selector(ir, metric, `${by}=%q`)})\` $labels.${by}`;
  return `{{ with ${lookup} | query }}{{ . | first | value | ${format} }}{{ end }}`;
}

function routeRules(ir: IR): Draft[] {
  if (ir.routes.length === 0) return [];
  const ratio = percent(ir.gateway.alerts.latencyRatioOfTimeout);
  const timeout = servedLimit(ir, ROUTE_TIMEOUT, 'route', 'humanizeDuration');
  return [
    {
      alert: 'ModelgateRouteLatencyHigh',
      expr: p95OverTimeout(ir, 'modelgate_request_duration_seconds', ANSWERED),
      severity: 'warning',
      annotations: {
        summary: `Route {{ $labels.route }} answers slowly: p95 {{ $value | humanizeDuration }}, over ${ratio} of its ${timeout} timeout.`,
        description: `The 95th percentile of the answers of route {{ $labels.route }} took over ${ratio} of its ${timeout} timeout over the last ${RATE_WINDOW}; requests near the timeout fail with a 504.`,
      },
    },
    // Only chat routes stream, and only streams have a first token.
    ...when(
      ir.routes.some((route) => route.type === 'chat'),
      {
        alert: 'ModelgateRouteFirstTokenSlow',
        expr: p95OverTimeout(ir, 'modelgate_time_to_first_token_seconds'),
        severity: 'warning',
        annotations: {
          summary: `Streams of route {{ $labels.route }} wait {{ $value | humanizeDuration }} (p95) for their first token, over ${ratio} of its ${timeout} timeout.`,
          description: `The 95th percentile of the time to the first streamed event on route {{ $labels.route }} is over ${ratio} of its ${timeout} timeout over the last ${RATE_WINDOW}.`,
        },
      },
    ),
  ];
}

function policyRules(ir: IR): Draft[] {
  const a = ir.gateway.alerts;
  const window = gatewayDuration(a.budgetWindowMs);
  const budget = servedLimit(ir, POLICY_MONTHLY_BUDGET, 'policy', 'humanize');
  const tokens = servedLimit(ir, POLICY_TOKENS_PER_MINUTE, 'policy', 'humanize');
  return [
    ...when(ir.accessPolicies.some(budgeted), {
      alert: 'ModelgateBudgetBurn',
      expr: `${budgetProjection(ir)} > ${num(a.budgetProjection)}`,
      severity: 'warning',
      annotations: {
        summary: `{{ $labels.consumer }} is on course to spend {{ $value | humanizePercentage }} of its $${budget} monthly budget (policy {{ $labels.policy }}).`,
        description: `At its spend rate over the last ${window}, consumer {{ $labels.consumer }} would spend more than ${percent(a.budgetProjection)} of the $${budget} monthly budget of access policy {{ $labels.policy }} in a month; once the budget is spent its requests are refused with 429 \`insufficient_quota\` until the month ends (UTC).`,
      },
    }),
    ...when(ir.accessPolicies.some(tokenLimited), {
      alert: 'ModelgateTokensPerMinuteNearLimit',
      expr: `${tokensPerMinuteShare(ir)} > ${num(a.tokensPerMinuteRatio)}`,
      severity: 'warning',
      annotations: {
        summary: `{{ $labels.consumer }} uses {{ $value | humanizePercentage }} of its ${tokens} tokens per minute (policy {{ $labels.policy }}).`,
        description: `Consumer {{ $labels.consumer }} averaged more than ${percent(a.tokensPerMinuteRatio)} of the ${tokens} tokens per minute that access policy {{ $labels.policy }} allows over the last ${RATE_WINDOW}; past the limit its requests get 429 \`rate_limit_exceeded\`.`,
      },
    }),
  ];
}

/** The PrometheusRule, or undefined when alerts are off or every alert is disabled. */
export function prometheusRule(ir: IR): PrometheusRule | undefined {
  const a = ir.gateway.alerts;
  if (!a.enabled) return undefined;
  const disabled = new Set(a.disable);
  const finish = ({ severity, ...rule }: Draft): AlertRule => ({
    alert: rule.alert,
    expr: rule.expr,
    for: gatewayDuration(a.forMs),
    labels: { severity, ...a.labels },
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
