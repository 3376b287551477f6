// The generated PrometheusRule, checked by Prometheus' own promtool: the rules load, and unit tests generated here
// from the config show every alert firing just above its threshold and silent just below it. The per-route and
// per-policy limits reach Prometheus as the gateway serves them (gateway/threshold-gauges.ts), from two replicas.
import { describe, expect, it } from 'vitest';
import type { IR } from '../../compiler/ir/types.ts';
import { acmeIR } from '../../test/support/acme.ts';
import { PROMTOOL_MISSING, promtool, promtoolAvailable } from '../../test/support/prometheus.ts';
import { POLICY_MONTHLY_BUDGET, POLICY_TOKENS_PER_MINUTE, ROUTE_TIMEOUT, thresholdSeries } from '../../gateway/threshold-gauges.ts';
import { toYaml } from '../emit.ts';
import { type AlertName, prometheusRule } from './alerts.ts';
import { num } from './promql.ts';
import { consumersOf } from '../../kernel/subjects.ts';

type Labels = Record<string, string>;
type Series = { series: string; values: string }[];
interface Synthetic {
  series: Series;
  expected: Map<AlertName, Labels[]>;
}

/** promtool starts its clock at the Unix epoch: January 1970, 31 days, for `days_in_month()`. */
const DAYS_IN_MONTH = 31;
/** Just above every threshold (the alerts fire) and just below (they stay silent). */
const ABOVE = 1.1;
const BELOW = 0.9;

/** A series of this gateway's namespace, in promtool's input notation. */
const seriesOf = (ir: IR, metric: string, labels: Labels, values: string) => ({
  series: `${metric}{${Object.entries({ namespace: ir.gateway.kubernetes.namespace, ...labels })
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',')}}`,
  values,
});

/** The threshold gauges of `ir` as two replicas of the gateway serve them. */
function servedGauges(ir: IR, minutes: number): Series {
  return Object.entries(thresholdSeries(ir)).flatMap(([metric, series]) =>
    series.flatMap(({ labels, value }) =>
      ['gateway-0', 'gateway-1'].map((pod) => seriesOf(ir, metric, { ...labels, pod }, `${value}x${minutes}`)),
    ),
  );
}

/** Each route's or policy's limit in `ir`, by metric and name. */
function limitsOf(ir: IR): (metric: keyof ReturnType<typeof thresholdSeries>) => Map<string, number> {
  const all = thresholdSeries(ir);
  return (metric) => new Map(all[metric].map(({ labels, value }) => [Object.values(labels)[0]!, value]));
}

/**
 * Usage series for every alert of `ir` at `factor` times its threshold, long enough to fill the longest window and
 * the `for` hold; and the alerts expected at the end of them, with their labels.
 */
function synthetic(ir: IR, factor: number, minutes: number): Synthetic {
  const a = ir.gateway.alerts;
  const series: Series = [];
  const expected = new Map<AlertName, Labels[]>();
  const expect = (alert: AlertName, labels: Labels) => {
    if (factor > 1) expected.set(alert, [...(expected.get(alert) ?? []), { ...labels, severity: severityOf(alert, ir), ...a.labels }]);
    else expected.set(alert, []);
  };
  const add = (metric: string, labels: Labels, values: string) => series.push(seriesOf(ir, metric, labels, values));
  const counter = (perMinute: number) => `0+${perMinute}x${minutes}`;
  const gauge = (value: number) => `${value}x${minutes}`;
  /** Of 1000 per minute, `share` go to the first labels and the rest to the second. */
  const split = (metric: string, share: number, bad: Labels, good: Labels) => {
    const failing = Math.round(Math.min(1, share) * 1000);
    add(metric, bad, counter(failing));
    add(metric, good, counter(1000 - failing));
  };
  /** Ten observations a minute in (2T, 4T] or (0, T/2]: a p95 of 3.9 T or 0.475 T. */
  const histogram = (metric: string, labels: Labels, threshold: number) => {
    const bounds = [threshold / 2, 2 * threshold, 4 * threshold];
    for (const [i, le] of [...bounds.map(num), '+Inf'].entries()) {
      add(`${metric}_bucket`, { ...labels, le }, counter(factor > 1 && i < 2 ? 0 : 10));
    }
  };
  const limits = limitsOf(ir);

  split('modelgate_requests_total', a.errorRatio * factor, { route: 'any', status: '500' }, { route: 'any', status: '200' });
  expect('ModelgateErrorRatioHigh', {});
  split(
    'modelgate_upstream_duration_seconds_count',
    a.providerFailureRatio * factor,
    { provider: 'synthetic', model: 'm', outcome: '503' },
    { provider: 'synthetic', model: 'm', outcome: 'ok' },
  );
  expect('ModelgateProviderFailing', { provider: 'synthetic' });
  for (const route of ir.routes) {
    const threshold = a.latencyRatioOfTimeout * limits(ROUTE_TIMEOUT).get(route.name)!;
    histogram('modelgate_request_duration_seconds', { route: route.name, status: '200' }, threshold);
    expect('ModelgateRouteLatencyHigh', { route: route.name });
    if (route.type !== 'chat') continue;
    histogram('modelgate_time_to_first_token_seconds', { route: route.name, provider: 'synthetic', model: 'm' }, threshold);
    expect('ModelgateRouteFirstTokenSlow', { route: route.name });
  }
  if (ir.gateway.stores.limits.type === 'redis') {
    add('modelgate_store_up', { store: 'limits' }, gauge(factor > 1 ? 0 : 1));
    expect('ModelgateLimitStoreDown', { store: 'limits' });
  }
  // Half-open (2) is not open.
  add('modelgate_circuit_state', { provider: 'synthetic', model: 'm' }, gauge(factor > 1 ? 1 : 2));
  expect('ModelgateCircuitOpen', { provider: 'synthetic', model: 'm' });
  const consumerOf = consumersOf(ir);
  for (const p of ir.accessPolicies) {
    const consumer = { policy: p.name, consumer: consumerOf(p)[0] ?? 'someone' };
    const budget = limits(POLICY_MONTHLY_BUDGET).get(p.name);
    if (budget !== undefined) {
      // Spend per minute that, over a month, is `factor` times the projected share that fires.
      add('modelgate_cost_usd_total', consumer, counter((factor * a.budgetProjection * budget) / (DAYS_IN_MONTH * 1440)));
      expect('ModelgateBudgetBurn', consumer);
    }
    const tokens = limits(POLICY_TOKENS_PER_MINUTE).get(p.name);
    if (tokens !== undefined) {
      add('modelgate_tokens_total', { ...consumer, direction: 'input' }, counter(factor * a.tokensPerMinuteRatio * tokens));
      expect('ModelgateTokensPerMinuteNearLimit', consumer);
    }
  }
  return { series, expected };
}

const severityOf = (alert: AlertName, ir: IR) =>
  prometheusRule(ir)!
    .spec.groups.flatMap((g) => g.rules)
    .find((r) => r.alert === alert)!.labels.severity!;

/** Minutes of series long enough for the budget's window and the `for` hold, evaluated at their end. */
const minutesFor = (ir: IR) => Math.ceil((ir.gateway.alerts.budgetWindowMs + ir.gateway.alerts.forMs) / 60_000) + 30;

/**
 * The rule file and a promtool unit-test file for it, both generated from `ir`, with the threshold gauges the gateway
 * serves for `served` (the same config unless a test says otherwise).
 */
function promtoolFiles(ir: IR, served: IR = ir): Record<string, string> {
  const rule = prometheusRule(ir)!;
  const minutes = minutesFor(ir);
  const present = new Set(rule.spec.groups.flatMap((g) => g.rules.map((r) => r.alert)));
  const test = (factor: number) => {
    const { series, expected } = synthetic(ir, factor, minutes);
    return {
      interval: '1m',
      input_series: [...series, ...servedGauges(served, minutes)],
      alert_rule_test: [...expected]
        .filter(([alert]) => present.has(alert))
        .map(([alertname, alerts]) => ({
          eval_time: `${minutes - 1}m`,
          alertname,
          exp_alerts: alerts.map((labels) => ({ exp_labels: labels })),
        })),
    };
  };
  return {
    'rules.yaml': toYaml({ groups: rule.spec.groups }),
    'unit-rules.yaml': unitRules(ir, []),
    'tests.yaml': toYaml({ rule_files: ['unit-rules.yaml'], evaluation_interval: '1m', tests: [test(ABOVE), test(BELOW)] }),
  };
}

/**
 * The rules with only the annotations in `keep`: promtool compares the alerts' annotations whole, and most of them
 * render the value of the moment; `check rules` parses them all.
 */
function unitRules(ir: IR, keep: string[]): string {
  const groups = prometheusRule(ir)!.spec.groups.map((g) => ({
    ...g,
    rules: g.rules.map((r) => ({ ...r, annotations: Object.fromEntries(Object.entries(r.annotations).filter(([k]) => keep.includes(k))) })),
  }));
  return toYaml({ groups });
}

const alertNames = (ir: IR) => [...new Set(prometheusRule(ir)?.spec.groups.flatMap((g) => g.rules.map((r) => r.alert)))].sort();

/** `promtool check rules` and `promtool test rules` on `files`: both pass. */
function expectPromtoolPasses(files: Record<string, string>): void {
  const check = promtool(['check', 'rules', 'rules.yaml'], files);
  expect(check.output).toContain('SUCCESS');
  expect(check.status).toBe(0);
  const unit = promtool(['test', 'rules', 'tests.yaml'], files);
  expect(unit.output).toContain('SUCCESS');
  expect(unit.status).toBe(0);
}

if (!promtoolAvailable) console.warn(PROMTOOL_MISSING);

describe.skipIf(!promtoolAvailable)('the PrometheusRule under promtool', () => {
  it('acme prod: every alert loads, fires just above its threshold and stays silent just below it', () => {
    const ir = acmeIR('prod');
    expect(alertNames(ir)).toEqual([
      'ModelgateBudgetBurn',
      'ModelgateCircuitOpen',
      'ModelgateErrorRatioHigh',
      'ModelgateLimitStoreDown',
      'ModelgateProviderFailing',
      'ModelgateRouteFirstTokenSlow',
      'ModelgateRouteLatencyHigh',
      'ModelgateTokensPerMinuteNearLimit',
    ]);
    expectPromtoolPasses(promtoolFiles(ir));
  });

  it('follows the overrides of spec.alerts: ratios, for, labels', () => {
    const ir = acmeIR('prod');
    Object.assign(ir.gateway.alerts, {
      errorRatio: 0.2,
      providerFailureRatio: 0.5,
      latencyRatioOfTimeout: 0.3,
      tokensPerMinuteRatio: 0.5,
      budgetProjection: 0.6,
      budgetWindowMs: 3_600_000,
      forMs: 600_000,
      labels: { team: 'platform', severity: 'page' },
    });
    expectPromtoolPasses(promtoolFiles(ir));
  });

  it('holds each route and policy to its own limit, and names it with that limit', () => {
    const ir = acmeIR('prod');
    ir.gateway.alerts.budgetWindowMs = 3_600_000; // shorter series, same rules
    const minutes = minutesFor(ir);
    const eval_time = `${minutes - 1}m`;
    const labels = { severity: 'warning', ...ir.gateway.alerts.labels };
    const consumerOf = consumersOf(ir);
    const consumer = (policy: string) => ({ policy, consumer: consumerOf(ir.accessPolicies.find((p) => p.name === policy)!)[0]! });
    const input: Series = [];
    // The same p95, 30 + 0.95 × 10 = 39.5 s, on routes of a 45 s timeout (alerts over 36 s), of 120 s (over 96 s), and
    // on a route the gateway serves no timeout for (one a reload removed, or one Envoy serves alone).
    for (const route of ['chat-cheap', 'chat-premium', 'retired']) {
      for (const [le, count] of [
        ['30', 0],
        ['40', 10],
        ['+Inf', 10],
      ] as const) {
        input.push(seriesOf(ir, 'modelgate_request_duration_seconds_bucket', { route, status: '200', le }, `0+${count}x${minutes}`));
      }
    }
    // One spend rate: 150% of search's $300 budget over a month, 30% of payments' $1500.
    const spendPerMinute = (1.5 * 300) / (DAYS_IN_MONTH * 1440);
    // And 500k tokens a minute: 250% of payments' 200k, 50% of search's 1M.
    for (const policy of ['search', 'payments']) {
      input.push(seriesOf(ir, 'modelgate_cost_usd_total', consumer(policy), `0+${spendPerMinute}x${minutes}`));
      input.push(seriesOf(ir, 'modelgate_tokens_total', { ...consumer(policy), direction: 'output' }, `0+500000x${minutes}`));
    }
    const { consumer: searcher } = consumer('search');
    const { consumer: payer } = consumer('payments');
    const tests = {
      rule_files: ['unit-rules.yaml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [...input, ...servedGauges(ir, minutes)],
          alert_rule_test: [
            {
              eval_time,
              alertname: 'ModelgateRouteLatencyHigh',
              exp_alerts: [
                {
                  exp_labels: { route: 'chat-cheap', ...labels },
                  exp_annotations: { summary: 'Route chat-cheap answers slowly: p95 39.5s, over 80% of its 45s timeout.' },
                },
              ],
            },
            {
              eval_time,
              alertname: 'ModelgateBudgetBurn',
              exp_alerts: [
                {
                  exp_labels: { ...consumer('search'), ...labels },
                  exp_annotations: { summary: `${searcher} is on course to spend 150% of its $300 monthly budget (policy search).` },
                },
              ],
            },
            {
              eval_time,
              alertname: 'ModelgateTokensPerMinuteNearLimit',
              exp_alerts: [
                {
                  exp_labels: { ...consumer('payments'), ...labels },
                  exp_annotations: { summary: `${payer} uses 250% of its 200k tokens per minute (policy payments).` },
                },
              ],
            },
          ],
        },
      ],
    };
    expectPromtoolPasses({
      'rules.yaml': toYaml({ groups: prometheusRule(ir)!.spec.groups }),
      'unit-rules.yaml': unitRules(ir, ['summary']),
      'tests.yaml': toYaml(tests),
    });
  });

  it('follows the limits the gateway serves: a budget a reload raised tenfold does not fire', () => {
    // The usage series and expected alerts follow the config; the gauges, a gateway reloaded with bigger budgets.
    const ir = acmeIR('prod');
    ir.gateway.alerts.budgetWindowMs = 3_600_000; // shorter series, same check
    const reloaded = structuredClone(ir);
    for (const p of reloaded.accessPolicies) if (p.limits.monthlyBudgetUsd !== undefined) p.limits.monthlyBudgetUsd *= 10;
    expectPromtoolPasses(promtoolFiles(ir));
    const unit = promtool(['test', 'rules', 'tests.yaml'], promtoolFiles(ir, reloaded));
    expect(unit.status).not.toBe(0);
    expect(unit.output).toContain('ModelgateBudgetBurn');
    expect(unit.output).not.toContain('ModelgateTokensPerMinuteNearLimit');
  });
});

describe('the PrometheusRule of a config', () => {
  it('is the same whatever the order of its routes and policies', () => {
    const ir = acmeIR('prod');
    const rule = toYaml(prometheusRule(ir));
    ir.routes.reverse();
    ir.accessPolicies.reverse();
    expect(toYaml(prometheusRule(ir))).toBe(rule);
  });

  it('has one rule per alert, the same bytes for six routes and three policies as for 3,000 of each', () => {
    const ir = acmeIR('prod');
    const rule = toYaml(prometheusRule(ir));
    const alerts = prometheusRule(ir)!.spec.groups.flatMap((g) => g.rules.map((r) => r.alert));
    expect(alerts.length).toBe(new Set(alerts).size);
    const [routes, policies] = [ir.routes.slice(0, 6), ir.accessPolicies.slice(0, 3)];
    expect([routes.length, policies.length]).toEqual([6, 3]);
    ir.routes = Array.from({ length: 3000 }, (_, i) => ({ ...routes[i % 6]!, name: `route-${i}`, timeoutMs: 1000 + i }));
    ir.accessPolicies = Array.from({ length: 3000 }, (_, i) => ({
      ...policies[i % 3]!,
      name: `policy-${i}`,
      limits: { monthlyBudgetUsd: 1 + i, tokensPerMinute: 1000 + i },
    }));
    expect(toYaml(prometheusRule(ir))).toBe(rule);
    expect(rule).not.toContain('chat-cheap');
  });
});

describe('spec.alerts switches', () => {
  it('leaves out disabled alerts, and writes no rule when all are', () => {
    const ir = acmeIR('prod');
    ir.gateway.alerts.disable = ['ModelgateBudgetBurn', 'ModelgateCircuitOpen'];
    expect(alertNames(ir)).not.toContain('ModelgateBudgetBurn');
    expect(alertNames(ir)).not.toContain('ModelgateCircuitOpen');
    expect(alertNames(ir)).toContain('ModelgateErrorRatioHigh');
    ir.gateway.alerts.enabled = false;
    expect(prometheusRule(ir)).toBeUndefined();
  });

  it('has no limit store alert with the limits in memory', () => {
    const ir = acmeIR('prod');
    ir.gateway.stores.limits = { type: 'memory', maxEntries: 1000 };
    expect(alertNames(ir)).not.toContain('ModelgateLimitStoreDown');
  });
});
