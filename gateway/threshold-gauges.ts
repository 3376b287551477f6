// The config's limits as gauges: each route's timeout, each access policy's monthly budget and tokens per minute.
// The generated alert rules (targets/k8s/alerts.ts) compare the usage series with these `on(route)` / `on(policy)`
// instead of naming every route and policy, so they keep one size however large the repo grows. Written at load and
// on each reload (a route a reload removes is gone from the next scrape), never on a request.
import type { Registry } from 'prom-client';
import type { IR } from '../compiler/ir/types.ts';
import { type CounterSeries, GaugeFamily } from './metric-families.ts';

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
type Series = CounterSeries<string>;

/** The series of each threshold gauge for `ir`; names only in labels, never a credential. */
export function thresholdSeries(ir: IR): Record<ThresholdMetric, Series[]> {
  // The same deadline a call gets (call.ts): the route's timeout, cut by the gateway's request timeout.
  const cap = ir.gateway.limits.requestTimeoutMs;
  const perPolicy = (limit: (p: IR['accessPolicies'][number]) => number | undefined): Series[] =>
    ir.accessPolicies.flatMap((p) => {
      const value = limit(p);
      return value === undefined ? [] : [{ labels: { policy: p.name }, value }];
    });
  return {
    [ROUTE_TIMEOUT]: ir.routes.map((r) => ({ labels: { route: r.name }, value: Math.min(r.timeoutMs, cap) / 1000 })),
    [POLICY_MONTHLY_BUDGET]: perPolicy((p) => p.limits.monthlyBudgetUsd),
    [POLICY_TOKENS_PER_MINUTE]: perPolicy((p) => p.limits.tokensPerMinute),
  };
}

export class ThresholdGauges {
  private readonly families: Record<ThresholdMetric, GaugeFamily<string>>;

  constructor(registry: Registry) {
    const family = (name: ThresholdMetric) => new GaugeFamily<string>(registry, name, HELP[name]);
    this.families = {
      [ROUTE_TIMEOUT]: family(ROUTE_TIMEOUT),
      [POLICY_MONTHLY_BUDGET]: family(POLICY_MONTHLY_BUDGET),
      [POLICY_TOKENS_PER_MINUTE]: family(POLICY_TOKENS_PER_MINUTE),
    };
  }

  /** The values of `ir`, replacing the previous config's. */
  set(ir: IR): void {
    const series = thresholdSeries(ir);
    for (const name of Object.keys(this.families) as ThresholdMetric[]) {
      this.families[name].replace(series[name]);
    }
  }
}
