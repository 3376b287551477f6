// The k8s target's PrometheusRule and dashboard ConfigMap on generated repos of growing size: their JSON bytes
// (Kubernetes refuses an object over 1 MiB), the rule's number of rules, and the CPU time of writing both as YAML
// (median of 5, in process: wall time on a shared machine mostly measures the neighbours). The per-route and
// per-policy limits the rules compare with are gauges each gateway replica serves: their series, their bytes and CPU
// in a scrape of /metrics, and the CPU of setting them from the config (what a load or reload adds), are here too.
// `npx tsx bench/alerts-size.ts [sizes...]` (default 1000 10000 50000).
import { generateRepo } from './generate.ts';
import { compileSources } from '../pipeline/compile.ts';
import { prometheusRule } from '../targets/k8s/alerts.ts';
import { dashboardConfigMap } from '../targets/k8s/dashboard.ts';
import { toYaml } from '../targets/emit.ts';
import { GatewayMetrics } from '../gateway/metrics.ts';
import { thresholdSeries } from '../gateway/threshold-gauges.ts';
import { table } from './lib/markdown.ts';
import { formatMs, median } from './lib/stats.ts';
import { cpuMsOf, sizesFromArgs } from './lib/cli.ts';

const OBJECT_LIMIT = 1024 * 1024;
const bytes = (doc: unknown) => Buffer.byteLength(JSON.stringify(doc));
const ofLimit = (size: number) => `${size} (${((100 * size) / OBJECT_LIMIT).toFixed(1)}%)`;
const fiveRuns = (fn: () => unknown) => formatMs(median(Array.from({ length: 5 }, () => cpuMsOf(fn))));

/** The median CPU of five scrapes as the gateway answers them: the text, then its length for the header. */
async function scrapeCpu(metrics: GatewayMetrics): Promise<string> {
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = process.cpuUsage();
    Buffer.byteLength(await metrics.text());
    const used = process.cpuUsage(start);
    runs.push((used.user + used.system) / 1000);
  }
  return formatMs(median(runs));
}

const rows: string[][] = [];
for (const size of sizesFromArgs([1000, 10000, 50000])) {
  const ir = compileSources(generateRepo({ resources: size, seed: 1, layout: 'single' }), { env: 'prod' }).ir!;
  const rule = prometheusRule(ir)!;
  const metrics = new GatewayMetrics();
  const without = await scrapeCpu(metrics);
  metrics.thresholds.set(ir);
  rows.push([
    String(size),
    String(ir.routes.length),
    String(ir.accessPolicies.length),
    String(rule.spec.groups.flatMap((g) => g.rules).length),
    ofLimit(bytes(rule)),
    ofLimit(bytes(dashboardConfigMap(ir))),
    fiveRuns(() => [toYaml(prometheusRule(ir)), toYaml(dashboardConfigMap(ir))]),
    String(Object.values(thresholdSeries(ir)).flat().length),
    String(Buffer.byteLength(metrics.thresholds.text)),
    `${await scrapeCpu(metrics)} (${without})`,
    fiveRuns(() => metrics.thresholds.set(ir)),
  ]);
}
console.log(
  table(
    [
      'resources',
      'routes',
      'access policies',
      'rules',
      'PrometheusRule JSON bytes (of 1 MiB)',
      'dashboard ConfigMap JSON bytes',
      'CPU to write both',
      'threshold series per replica',
      'their bytes in a scrape',
      'CPU of a scrape with them (without)',
      'CPU to set them',
    ],
    rows,
  ),
);
