// Shows that runPolicies is linear in the number of resources: times it on generated repos of growing size.
// `npx tsx bench/policies-linear.ts [sizes...]` (default 1000 10000). Not a test: timings vary by machine.
import { generateRepo } from './generate.ts';
import { applyEnvironment, environmentInfo, environmentsOf } from '../compiler/environments/apply.ts';
import { loadSources } from '../compiler/load/load-project.ts';
import { runPolicies } from '../policies/index.ts';
import { cpuMsOf, sizesFromArgs } from './lib/cli.ts';

/** Organisations write a handful of Policies, not one per resource: hold their number fixed across sizes. */
const POLICIES = 6;
const RUNS = 9;

function prepare(size: number) {
  const { resources } = loadSources(generateRepo({ resources: size, seed: 42, layout: 'multi' }));
  let policies = 0;
  const kept = resources.filter((r) => r.kind !== 'Policy' || ++policies <= POLICIES);
  const prod = environmentsOf(kept).find((e) => e.name === 'prod');
  return { environment: environmentInfo(prod), resources: applyEnvironment(kept, prod).resources, today: '2026-01-01' };
}

const rows: { size: number; first: number; ms: number; findings: number }[] = [];
for (const size of sizesFromArgs([1000, 10000])) {
  const input = prepare(size);
  // The first run parses every template (cached by text for the next environments) and warms the JIT.
  let findings = 0;
  const first = cpuMsOf(() => (findings = runPolicies(input).length));
  const times = Array.from({ length: RUNS }, () => cpuMsOf(() => runPolicies(input)));
  rows.push({ size: input.resources.length, first, ms: Math.min(...times), findings });
}

const base = rows[0]!;
console.log(`runPolicies CPU time, tier production, ${POLICIES} Policy documents; first run, then best of ${RUNS} more`);
console.log('resources  first ms    best ms  µs/resource  findings  size ratio  time ratio (first, best)');
const cell = (v: string, width: number) => v.padStart(width);
for (const r of rows) {
  console.log(
    [
      cell(String(r.size), 9),
      cell(r.first.toFixed(1), 9),
      cell(r.ms.toFixed(1), 10),
      cell(((r.ms * 1000) / r.size).toFixed(1), 12),
      cell(String(r.findings), 9),
      cell((r.size / base.size).toFixed(2), 11),
      `  ${(r.first / base.first).toFixed(2)}, ${(r.ms / base.ms).toFixed(2)}`,
    ].join(' '),
  );
}
