// The k8s target's PrometheusRule and dashboard ConfigMap on generated repos of growing size: their JSON bytes
// (Kubernetes refuses an object over 1 MiB), the rule's number of rules, and the CPU time of writing both as YAML
// (median of 5, in process: wall time on a shared machine mostly measures the neighbours).
// `npx tsx bench/alerts-size.ts [sizes...]` (default 1000 10000 50000).
import { generateRepo } from './generate.ts';
import { compileSources } from '../pipeline/compile.ts';
import { prometheusRule } from '../targets/k8s/alerts.ts';
import { dashboardConfigMap } from '../targets/k8s/dashboard.ts';
import { toYaml } from '../targets/emit.ts';
import { table } from './lib/markdown.ts';
import { formatMs, median } from './lib/stats.ts';
import { cpuMsOf, sizesFromArgs } from './lib/cli.ts';

const OBJECT_LIMIT = 1024 * 1024;
const bytes = (doc: unknown) => Buffer.byteLength(JSON.stringify(doc));
const ofLimit = (size: number) => `${size} (${((100 * size) / OBJECT_LIMIT).toFixed(1)}%)`;

const rows: string[][] = [];
for (const size of sizesFromArgs([1000, 10000, 50000])) {
  const ir = compileSources(generateRepo({ resources: size, seed: 1, layout: 'single' }), { env: 'prod' }).ir!;
  const rule = prometheusRule(ir)!;
  rows.push([
    String(size),
    String(ir.routes.length),
    String(ir.accessPolicies.length),
    String(rule.spec.groups.flatMap((g) => g.rules).length),
    ofLimit(bytes(rule)),
    ofLimit(bytes(dashboardConfigMap(ir))),
    formatMs(median(Array.from({ length: 5 }, () => cpuMsOf(() => [toYaml(prometheusRule(ir)), toYaml(dashboardConfigMap(ir))])))),
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
    ],
    rows,
  ),
);
