// The config's limits as gauges: each route's timeout, each access policy's monthly budget and tokens per minute.
// The generated alert rules (targets/k8s/alerts.ts) compare the usage series with these `on(route)` / `on(policy)`
// instead of naming every route and policy, so they keep one size however large the repo grows. The text is made at
// load and on each reload (a route a reload removes is gone from the next scrape), never on a request, and a scrape
// only appends it: one series per route and limited policy is tens of thousands in a large repo, which prom-client
// would format again on every scrape.
import type { IR, IRRoute } from '../compiler/ir/types.ts';

export const ROUTE_TIMEOUT = 'modelgate_route_timeout_seconds';
export const POLICY_MONTHLY_BUDGET = 'modelgate_policy_monthly_budget_usd';
export const POLICY_TOKENS_PER_MINUTE = 'modelgate_policy_tokens_per_minute';

const HELP = {
  [ROUTE_TIMEOUT]: "Each route's timeout as the gateway applies it (within limits.requestTimeout), from the config in force.",
  [POLICY_MONTHLY_BUDGET]: 'The monthly budget of each access policy that sets one, per consumer, from the config in force.',
  [POLICY_TOKENS_PER_MINUTE]: 'The tokens per minute of each access policy that limits them, per consumer, from the config in force.',
};

export type ThresholdMetric = keyof typeof HELP;
/** Labelled `route` or `policy`. */
interface Series {
  labels: Record<string, string>;
  value: number;
}

/** A route's timeout as the gateway applies it (a call's deadline, call.ts): within the gateway's request timeout. */
export const routeTimeoutMs = (ir: IR, route: IRRoute): number => Math.min(route.timeoutMs, ir.gateway.limits.requestTimeoutMs);

/** The series of each threshold gauge for `ir`; names only in labels, never a credential. */
export function thresholdSeries(ir: IR): Record<ThresholdMetric, Series[]> {
  const perPolicy = (limit: (p: IR['accessPolicies'][number]) => number | undefined): Series[] =>
    ir.accessPolicies.flatMap((p) => {
      const value = limit(p);
      return value === undefined ? [] : [{ labels: { policy: p.name }, value }];
    });
  return {
    [ROUTE_TIMEOUT]: ir.routes.map((r) => ({ labels: { route: r.name }, value: routeTimeoutMs(ir, r) / 1000 })),
    [POLICY_MONTHLY_BUDGET]: perPolicy((p) => p.limits.monthlyBudgetUsd),
    [POLICY_TOKENS_PER_MINUTE]: perPolicy((p) => p.limits.tokensPerMinute),
  };
}

export class ThresholdGauges {
  /** The gauges in Prometheus' text format (version 0.0.4, the registry's), each family after a blank line. */
  text = '';

  /** The values of `ir`, replacing the previous config's. */
  set(ir: IR): void {
    const series = thresholdSeries(ir);
    this.text = (Object.keys(HELP) as ThresholdMetric[])
      .map((name) =>
        [
          `\n# HELP ${name} ${HELP[name]}\n# TYPE ${name} gauge\n`,
          // Resource names are DNS-like (`[a-z0-9.-]`): nothing in a label value to escape.
          ...series[name].map(({ labels, value }) => {
            const pairs = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
            return `${name}{${pairs.join(',')}} ${value}\n`;
          }),
        ].join(''),
      )
      .join('');
  }
}
