// The generated PrometheusRule, checked by Prometheus' own promtool: the rules load, and unit tests generated here
// from the config's thresholds (each route's timeout, each policy's budget and token limit, the ratios of
// `spec.alerts`) show every alert firing on a synthetic series above its threshold and silent below it.
import { describe, expect, it } from 'vitest';
import type { IR } from '../../compiler/ir/types.ts';
import { acmeIR } from '../../test/support/acme.ts';
import { PROMTOOL_MISSING, promtool, promtoolAvailable } from '../../test/support/prometheus.ts';
import { toYaml } from '../emit.ts';
import { type AlertName, prometheusRule } from './alerts.ts';
import { budgeted, num, routeTimeoutSeconds, tokenLimited } from './promql.ts';
import { consumersOf } from '../../kernel/subjects.ts';

type Labels = Record<string, string>;
interface Synthetic {
  series: { series: string; values: string }[];
  expected: Map<AlertName, Labels[]>;
}

/** promtool starts its clock at the Unix epoch: January 1970, 31 days, for `days_in_month()`. */
const DAYS_IN_MONTH = 31;

/**
 * Series for every alert of `ir`, at `factor` times its threshold (2: firing, 0.5: silent), long enough to fill the
 * longest window and the `for` hold; and the alerts expected at the end of them, with their labels.
 */
function synthetic(ir: IR, factor: number, minutes: number): Synthetic {
  const a = ir.gateway.alerts;
  const ns = ir.gateway.kubernetes.namespace;
  const series: Synthetic['series'] = [];
  const expected = new Map<AlertName, Labels[]>();
  const expect = (alert: AlertName, labels: Labels) => {
    if (factor > 1) expected.set(alert, [...(expected.get(alert) ?? []), { ...labels, severity: severityOf(alert, ir), ...a.labels }]);
    else expected.set(alert, []);
  };
  const add = (metric: string, labels: Labels, values: string) =>
    series.push({
      series: `${metric}{${Object.entries({ namespace: ns, ...labels })
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}}`,
      values,
    });
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
    const threshold = a.latencyRatioOfTimeout * routeTimeoutSeconds(ir, route.timeoutMs);
    // The rule of the routes of one timeout says it.
    const alerted = { route: route.name, timeout_seconds: num(routeTimeoutSeconds(ir, route.timeoutMs)) };
    histogram('modelgate_request_duration_seconds', { route: route.name, status: '200' }, threshold);
    expect('ModelgateRouteLatencyHigh', alerted);
    if (route.type !== 'chat') continue;
    histogram('modelgate_time_to_first_token_seconds', { route: route.name, provider: 'synthetic', model: 'm' }, threshold);
    expect('ModelgateRouteFirstTokenSlow', alerted);
  }
  if (ir.gateway.stores.limits.type === 'redis') {
    add('modelgate_store_up', { store: 'limits' }, gauge(factor > 1 ? 0 : 1));
    expect('ModelgateLimitStoreDown', { store: 'limits' });
  }
  // Half-open (2) is not open.
  add('modelgate_circuit_state', { provider: 'synthetic', model: 'm' }, gauge(factor > 1 ? 1 : 2));
  expect('ModelgateCircuitOpen', { provider: 'synthetic', model: 'm' });
  for (const p of ir.accessPolicies) {
    const consumer = { policy: p.name, consumer: consumersOf(ir)(p)[0] ?? 'someone' };
    if (budgeted(p)) {
      // Spend per minute that, over a month, is `factor` times the projected share that fires.
      add(
        'modelgate_cost_usd_total',
        consumer,
        counter((factor * a.budgetProjection * p.limits.monthlyBudgetUsd) / (DAYS_IN_MONTH * 1440)),
      );
      expect('ModelgateBudgetBurn', { ...consumer, monthly_budget_usd: num(p.limits.monthlyBudgetUsd) });
    }
    if (tokenLimited(p)) {
      add(
        'modelgate_tokens_total',
        { ...consumer, direction: 'input' },
        counter(factor * a.tokensPerMinuteRatio * p.limits.tokensPerMinute),
      );
      expect('ModelgateTokensPerMinuteNearLimit', { ...consumer, tokens_per_minute: num(p.limits.tokensPerMinute) });
    }
  }
  return { series, expected };
}

const severityOf = (alert: AlertName, ir: IR) =>
  prometheusRule(ir)!
    .spec.groups.flatMap((g) => g.rules)
    .find((r) => r.alert === alert)!.labels.severity!;

/** The rule file and a promtool unit-test file for it, both generated from `ir`; `decoys` are series no alert is about. */
function promtoolFiles(ir: IR, decoys: Synthetic['series'] = []): Record<string, string> {
  const rule = prometheusRule(ir)!;
  // Long enough for the budget's window and the `for` hold, evaluated at its end.
  const minutes = Math.ceil((ir.gateway.alerts.budgetWindowMs + ir.gateway.alerts.forMs) / 60_000) + 30;
  const present = new Set(rule.spec.groups.flatMap((g) => g.rules.map((r) => r.alert)));
  const test = (factor: number) => {
    const { series, expected } = synthetic(ir, factor, minutes);
    return {
      interval: '1m',
      input_series: [...series, ...decoys],
      alert_rule_test: [...expected]
        .filter(([alert]) => present.has(alert))
        .map(([alertname, alerts]) => ({
          eval_time: `${minutes - 1}m`,
          alertname,
          exp_alerts: alerts.map((labels) => ({ exp_labels: labels })),
        })),
    };
  };
  // Annotations are templates promtool renders with the values; `check rules` parses them, the unit tests are about firing.
  const groups = rule.spec.groups.map((g) => ({ ...g, rules: g.rules.map(({ annotations: _, ...r }) => r) }));
  return {
    'rules.yaml': toYaml({ groups: rule.spec.groups }),
    'unit-rules.yaml': toYaml({ groups }),
    'tests.yaml': toYaml({ rule_files: ['unit-rules.yaml'], evaluation_interval: '1m', tests: [test(2), test(0.5)] }),
  };
}

const alertNames = (ir: IR) => [...new Set(prometheusRule(ir)?.spec.groups.flatMap((g) => g.rules.map((r) => r.alert)))].sort();

if (!promtoolAvailable) console.warn(PROMTOOL_MISSING);

describe.skipIf(!promtoolAvailable)('the PrometheusRule under promtool', () => {
  it('acme prod: every alert loads, fires above its threshold and stays silent below it', () => {
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
    const files = promtoolFiles(ir);
    const check = promtool(['check', 'rules', 'rules.yaml'], files);
    expect(check.output).toContain('SUCCESS');
    expect(check.status).toBe(0);
    const unit = promtool(['test', 'rules', 'tests.yaml'], files);
    expect(unit.output).toContain('SUCCESS');
    expect(unit.status).toBe(0);
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
    const files = promtoolFiles(ir);
    const check = promtool(['check', 'rules', 'rules.yaml'], files);
    expect(check.output).toContain('SUCCESS');
    expect(check.status).toBe(0);
    const unit = promtool(['test', 'rules', 'tests.yaml'], files);
    expect(unit.output).toContain('SUCCESS');
  });

  it('gives the routes and policies of one threshold one rule, which alerts on each of them by name alone', () => {
    const ir = acmeIR('prod');
    ir.gateway.alerts.budgetWindowMs = 3_600_000; // shorter series (a quarter of promtool's work), same grouping
    for (const route of ir.routes) route.timeoutMs = 60_000;
    // A dot is a regex metacharacter: the rule matches this route, not `chatxv2`.
    ir.routes[0]!.name = 'chat.v2';
    for (const p of ir.accessPolicies.filter(budgeted)) p.limits.monthlyBudgetUsd = 500;
    for (const p of ir.accessPolicies.filter(tokenLimited)) p.limits.tokensPerMinute = 100_000;
    const rules = prometheusRule(ir)!.spec.groups.flatMap((g) => g.rules);
    const grouped = [
      'ModelgateRouteLatencyHigh',
      'ModelgateRouteFirstTokenSlow',
      'ModelgateBudgetBurn',
      'ModelgateTokensPerMinuteNearLimit',
    ];
    expect(grouped.map((alert) => rules.filter((r) => r.alert === alert).length)).toEqual([1, 1, 1, 1]);
    const latency = rules.find((r) => r.alert === 'ModelgateRouteLatencyHigh')!;
    expect(latency.expr).toContain(
      `route=~"${ir.routes
        .map((r) => r.name)
        .sort()
        .map((name) => name.replace('.', '\\\\.'))
        .join('|')}"`,
    );
    expect(latency.labels).toEqual({ severity: 'warning', ...ir.gateway.alerts.labels, timeout_seconds: '60' });
    expect(latency.annotations.summary).toContain('{{ $labels.route }}');

    const slow = (le: string, count: number) => ({
      series: `modelgate_request_duration_seconds_bucket{namespace="${ir.gateway.kubernetes.namespace}",route="chatxv2",status="200",le="${le}"}`,
      values: `0+${count}x1000`, // longer than the test's series
    });
    const files = promtoolFiles(ir, [slow('1000', 0), slow('+Inf', 10)]);
    const check = promtool(['check', 'rules', 'rules.yaml'], files);
    expect(check.output).toContain('SUCCESS');
    const unit = promtool(['test', 'rules', 'tests.yaml'], files);
    expect(unit.output).toContain('SUCCESS');
    expect(unit.status).toBe(0);
  });

  it('fails the unit tests of a rule whose threshold is not the config', () => {
    // The synthetic series follow the config; a rule written for another budget must not pass them.
    const ir = acmeIR('prod');
    ir.gateway.alerts.budgetWindowMs = 3_600_000; // shorter series, same check
    const files = promtoolFiles(ir);
    const policy = ir.accessPolicies.find(budgeted)!;
    policy.limits.monthlyBudgetUsd! *= 10;
    const unit = promtool(['test', 'rules', 'tests.yaml'], { ...files, 'unit-rules.yaml': promtoolFiles(ir)['unit-rules.yaml']! });
    expect(unit.status).not.toBe(0);
    expect(unit.output).toContain('ModelgateBudgetBurn');
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
