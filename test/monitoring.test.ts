// The generated alerts against a real Prometheus: it scrapes the Node gateway's /metrics (on 127.0.0.1) under a
// short load and evaluates the k8s target's rules. The budget-burn expression, joined with the budget the gateway
// serves as a gauge, gives the projection the requests' prices imply, and the alert fires naming the budget.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IR } from '../compiler/ir/types.ts';
import { prometheusRule } from '../targets/k8s/alerts.ts';
import { toYaml } from '../targets/emit.ts';
import { budgetProjection } from '../targets/k8s/promql.ts';
import { startTestGateway, type TestGateway } from './support/gateway-fixture.ts';
import { KEYS } from './support/ir-fixture.ts';
import { PROMETHEUS_MISSING, prometheusAvailable, startPrometheus, type PrometheusServer } from './support/prometheus.ts';

const BUDGET_USD = 2;
const REQUESTS = 30;
/** What the mock reports per request, at gpt-4o-mini's prices in the fixture (0.15 and 0.6 USD per 1M). */
const USAGE = { input: 1000, output: 1000 };
const COST_PER_REQUEST = (USAGE.input * 0.15 + USAGE.output * 0.6) / 1e6;
const NAMESPACE = 'ai-gateway';

if (!prometheusAvailable) console.warn(PROMETHEUS_MISSING);

describe.skipIf(!prometheusAvailable)('a real Prometheus scraping the gateway', () => {
  let t: TestGateway;
  let prom: PrometheusServer;
  let ir: IR;

  beforeAll(async () => {
    t = await startTestGateway((gw) => {
      gw.gateway.kubernetes.namespace = NAMESPACE;
      gw.accessPolicies.find((p) => p.name === 'everything')!.limits = { monthlyBudgetUsd: BUDGET_USD };
      // Fires at the first evaluation over the threshold: the test does not wait out the usual hold.
      gw.gateway.alerts.forMs = 1000;
      ir = gw;
    });
    const url = new URL(t.gateway.url);
    // The labels a Kubernetes scrape puts on the gateway's series: the rules select on `namespace`.
    prom = await startPrometheus(
      [
        // Scraped four times a second: the test waits for samples, and the projection does not depend on their spacing.
        'global: { scrape_interval: 250ms, evaluation_interval: 1s }',
        'rule_files: [rules.yaml]',
        'scrape_configs:',
        '  - job_name: modelgate-gateway',
        `    metrics_path: ${ir.gateway.metrics.path}`,
        `    static_configs: [{ targets: ["127.0.0.1:${url.port}"], labels: { namespace: ${NAMESPACE} } }]`,
      ].join('\n'),
      // The PrometheusRule's groups are a rule file as the operator hands it to Prometheus.
      { 'rules.yaml': toYaml({ groups: prometheusRule(ir)!.spec.groups }) },
    );
  }, 30_000);
  afterAll(async () => {
    await prom?.stop();
    await t?.close();
  });

  const client = () => new OpenAI({ apiKey: KEYS.alice, baseURL: t.baseURL });
  const cost = `modelgate_cost_usd_total{namespace="${NAMESPACE}",policy="everything",consumer="alice"}`;
  /** The latest sample of the cost series Prometheus holds, and its time. */
  const scraped = async () => {
    const [sample] = await prom.query(`sum(${cost})`);
    const [at] = await prom.query(`max(timestamp(${cost}))`);
    return sample && at ? { value: Number(sample.value[1]), at: Number(at.value[1]) } : undefined;
  };
  const until = async <T>(check: () => Promise<T | undefined>): Promise<T> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error('Prometheus did not see the expected samples in time');
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  it("returns the budget projection the requests' prices imply, and Prometheus fires the budget alert", async () => {
    // A free request first, so that the series starts at 0 in Prometheus and its increase is the whole spend.
    t.oai.enqueue({ usage: { input: 0, output: 0 } });
    await client().chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'x' }] });
    await until(async () => ((await scraped())?.value === 0 ? true : undefined));

    t.oai.setDefault({ usage: USAGE });
    for (let i = 0; i < REQUESTS; i += 3) {
      await Promise.all(
        [0, 1, 2].map(() => client().chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'x' }] })),
      );
      await new Promise((r) => setTimeout(r, 100));
    }
    const spent = REQUESTS * COST_PER_REQUEST;
    const last = await until(async () => {
      const s = await scraped();
      return s && Math.abs(s.value - spent) < 1e-9 ? s : undefined;
    });

    // The budget as the gateway serves it, scraped like any metric.
    const [served] = await prom.query(`modelgate_policy_monthly_budget_usd{namespace="${NAMESPACE}"}`);
    expect(served!.metric).toMatchObject({ policy: 'everything' });
    expect(Number(served!.value[1])).toBe(BUDGET_USD);

    // Evaluated at the last sample, the rate over the window is the spend divided by the window.
    const at = new Date(last.at * 1000);
    const daysInMonth = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 0)).getUTCDate();
    const windowSeconds = ir.gateway.alerts.budgetWindowMs / 1000;
    const expected = ((spent / windowSeconds) * 86400 * daysInMonth) / BUDGET_USD;
    expect(expected).toBeGreaterThan(1);

    const query = async (expr: string) => {
      const res = await fetch(`${prom.url}/api/v1/query?${new URLSearchParams({ query: expr, time: String(last.at) })}`);
      return ((await res.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } }).data.result;
    };
    const projection = await query(budgetProjection(ir));
    expect(projection.map((p) => p.metric)).toEqual([{ policy: 'everything', consumer: 'alice' }]);
    expect(Number(projection[0]!.value[1])).toBeCloseTo(expected, 6);

    // The alert's own expression, threshold included, as written into the PrometheusRule: it fires with that value.
    const rule = prometheusRule(ir)!
      .spec.groups.flatMap((g) => g.rules)
      .find((r) => r.alert === 'ModelgateBudgetBurn')!;
    const [firing] = await query(rule.expr);
    expect(Number(firing!.value[1])).toBeCloseTo(expected, 6);

    // And Prometheus, evaluating the rules, fires it, naming the policy, the consumer and the budget.
    const alert = await until(async () => {
      const res = await fetch(`${prom.url}/api/v1/alerts`);
      const { data } = (await res.json()) as {
        data: { alerts: { labels: Record<string, string>; annotations: Record<string, string>; state: string }[] };
      };
      return data.alerts.find((a) => a.labels.alertname === 'ModelgateBudgetBurn' && a.state === 'firing');
    });
    expect(alert.labels).toMatchObject({ policy: 'everything', consumer: 'alice', severity: 'warning' });
    expect(alert.annotations.summary).toMatch(
      /^alice is on course to spend \d+(\.\d+)?% of its \$2 monthly budget \(policy everything\)\.$/,
    );
  }, 60_000);
});
