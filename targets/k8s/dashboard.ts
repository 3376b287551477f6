// A Grafana dashboard of the gateway in a ConfigMap labelled for Grafana's dashboard sidecar (kube-prometheus-stack's
// `grafana_dashboard: "1"`): traffic and errors per route, latency and time to first token against the alerts'
// thresholds, tokens and spend per access policy, budgets, the limit store and the providers' circuits.
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IR } from '../../compiler/ir/types.ts';
import { sha256Hex, stableJson } from '../emit.ts';
import { metadata } from './objects.ts';
import {
  ANSWERED,
  budgeted,
  budgetProjection,
  errorRatio,
  p95ByRoute,
  providerFailureRatio,
  RATE_WINDOW,
  selector,
  tokenLimited,
  tokensPerMinuteShare,
} from './promql.ts';

export const DASHBOARD_KEY = 'modelgate.json';

interface Query {
  expr: string;
  legend: string;
}

interface PanelSpec {
  title: string;
  unit: string;
  queries: Query[];
  /** Where the matching alert fires, drawn as a red line. */
  threshold?: number;
  description?: string;
}

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

function panel(spec: PanelSpec, index: number) {
  return {
    id: index + 1,
    type: 'timeseries',
    title: spec.title,
    ...(spec.description ? { description: spec.description } : {}),
    datasource: DATASOURCE,
    gridPos: { h: 8, w: 12, x: (index % 2) * 12, y: Math.floor(index / 2) * 8 },
    fieldConfig: {
      defaults: {
        unit: spec.unit,
        ...(spec.threshold === undefined
          ? {}
          : {
              custom: { thresholdsStyle: { mode: 'line' } },
              thresholds: {
                mode: 'absolute',
                steps: [
                  { color: 'green', value: null },
                  { color: 'red', value: spec.threshold },
                ],
              },
            }),
      },
      overrides: [],
    },
    options: { legend: { displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi', sort: 'desc' } },
    targets: spec.queries.map((q, i) => ({
      refId: String.fromCharCode(65 + i),
      datasource: DATASOURCE,
      expr: q.expr,
      legendFormat: q.legend,
    })),
  };
}

function panels(ir: IR): PanelSpec[] {
  const a = ir.gateway.alerts;
  const rate = (metric: string) => `rate(${selector(ir, metric)}[${RATE_WINDOW}])`;
  return [
    {
      title: 'Requests by route',
      unit: 'reqps',
      queries: [{ expr: `sum by (route) (${rate('modelgate_requests_total')})`, legend: '{{route}}' }],
    },
    {
      title: '5xx share by route',
      unit: 'percentunit',
      threshold: a.errorRatio,
      queries: [{ expr: errorRatio(ir, 'route'), legend: '{{route}}' }],
    },
    {
      title: 'Latency p95 by route',
      unit: 's',
      description:
        'Answers, refusals (4xx) left out. Each route alerts above its own share of its timeout (modelgate_route_timeout_seconds).',
      queries: [{ expr: p95ByRoute(ir, 'modelgate_request_duration_seconds', ANSWERED), legend: '{{route}}' }],
    },
    {
      title: 'Time to first token p95 by route (streams)',
      unit: 's',
      queries: [{ expr: p95ByRoute(ir, 'modelgate_time_to_first_token_seconds'), legend: '{{route}}' }],
    },
    {
      title: 'Output tokens per second p50 by provider model',
      unit: 'short',
      queries: [
        {
          expr: `histogram_quantile(0.5, sum by (provider, model, le) (${rate('modelgate_output_tokens_per_second_bucket')}))`,
          legend: '{{provider}}/{{model}}',
        },
      ],
    },
    {
      title: 'Provider failure share',
      unit: 'percentunit',
      threshold: a.providerFailureRatio,
      queries: [{ expr: providerFailureRatio(ir), legend: '{{provider}}' }],
    },
    {
      title: 'Tokens per minute by access policy',
      unit: 'short',
      queries: [{ expr: `sum by (policy, direction) (${rate('modelgate_tokens_total')}) * 60`, legend: '{{policy}} {{direction}}' }],
    },
    {
      title: 'Spend per hour by access policy',
      unit: 'currencyUSD',
      queries: [{ expr: `sum by (policy) (${rate('modelgate_cost_usd_total')}) * 3600`, legend: '{{policy}}' }],
    },
    ...(ir.accessPolicies.some(budgeted)
      ? [
          {
            title: 'Monthly budget: projected share per consumer',
            unit: 'percentunit',
            threshold: a.budgetProjection,
            description: 'Spend over a whole month at the current rate, as a share of the access policy budget.',
            queries: [{ expr: budgetProjection(ir), legend: '{{policy}} / {{consumer}}' }],
          },
        ]
      : []),
    ...(ir.accessPolicies.some(tokenLimited)
      ? [
          {
            title: 'Tokens per minute: share of the limit per consumer',
            unit: 'percentunit',
            threshold: a.tokensPerMinuteRatio,
            queries: [{ expr: tokensPerMinuteShare(ir), legend: '{{policy}} / {{consumer}}' }],
          },
        ]
      : []),
    {
      title: 'Limit and cache stores reachable (Redis)',
      unit: 'short',
      description: '1 while every replica reaches the store; requests let through unlimited (onUnavailable: allow) per second.',
      queries: [
        { expr: `min by (store) (${selector(ir, 'modelgate_store_up')})`, legend: '{{store}} up' },
        { expr: `sum (${rate('modelgate_limits_bypassed_total')})`, legend: 'bypassed per second' },
      ],
    },
    {
      title: 'Circuits (0 closed, 1 open, 2 half-open)',
      unit: 'short',
      queries: [{ expr: `max by (provider, model) (${selector(ir, 'modelgate_circuit_state')})`, legend: '{{provider}}/{{model}}' }],
    },
  ];
}

/** Indented with sorted keys, so that plans diff it line by line. */
export function dashboardJson(ir: IR): string {
  const title = `modelgate ${ir.gateway.name} (${ir.environment.name})`;
  return indentedJson({
    // Stable across builds and distinct per gateway and environment; Grafana allows 40 characters.
    uid: `modelgate-${sha256Hex(`${ir.gateway.name}\0${ir.environment.name}`).slice(0, 16)}`,
    title,
    tags: ['modelgate'],
    timezone: 'utc',
    schemaVersion: 39,
    version: 1,
    editable: false,
    refresh: '1m',
    time: { from: 'now-6h', to: 'now' },
    templating: { list: [{ name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', hide: 0 }] },
    panels: panels(ir).map(panel),
  });
}

const indentedJson = (value: unknown) => `${stableJson(value, 2)}\n`;

/** The ConfigMap Grafana's sidecar loads; undefined when the dashboard is off. */
export function dashboardConfigMap(ir: IR): IConfigMap | undefined {
  const a = ir.gateway.alerts;
  if (!a.dashboard) return undefined;
  const meta = metadata(ir, 'gateway', 'modelgate-dashboard');
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { ...meta, labels: { ...meta.labels, ...a.resourceLabels, grafana_dashboard: '1' } },
    data: { [DASHBOARD_KEY]: dashboardJson(ir) },
  };
}
