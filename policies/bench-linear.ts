// Shows that runPolicies is linear in the number of resources: times it on generated repos of growing size.
// `npx tsx policies/bench-linear.ts [sizes...]` (default 1000 10000). Not a test: timings vary by machine.
import { performance } from 'node:perf_hooks';
import { generateRepo } from '../bench/generate.ts';
import { applyEnvironment, environmentInfo, environmentsOf } from '../compiler/environments/apply.ts';
import { loadSources } from '../compiler/load/load-project.ts';
import { runPolicies } from './index.ts';

/** Organisations write a handful of Policies, not one per resource: hold their number fixed across sizes. */
const POLICIES = 6;
const RUNS = 7;

function prepare(size: number) {
  const { resources } = loadSources(generateRepo({ resources: size, seed: 42, layout: 'multi' }));
  let policies = 0;
  const kept = resources.filter((r) => r.kind !== 'Policy' || ++policies <= POLICIES);
  const prod = environmentsOf(kept).find((e) => e.name === 'prod');
  return { environment: environmentInfo(prod), resources: applyEnvironment(kept, prod).resources, today: '2026-01-01' };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const rows: { size: number; ms: number; findings: number }[] = [];
for (const size of sizes.length ? sizes : [1000, 10000]) {
  const input = prepare(size);
  const findings = runPolicies(input).length; // warm-up, and the JIT sees every rule once
  const times = Array.from({ length: RUNS }, () => {
    const start = performance.now();
    runPolicies(input);
    return performance.now() - start;
  });
  rows.push({ size: input.resources.length, ms: median(times), findings });
}

const base = rows[0]!;
console.log(`runPolicies, tier production, ${POLICIES} Policy documents, median of ${RUNS} runs`);
console.log('resources      ms   µs/resource   findings   time ratio   size ratio');
for (const r of rows) {
  console.log(
    `${String(r.size).padStart(9)} ${r.ms.toFixed(1).padStart(7)} ${((r.ms * 1000) / r.size).toFixed(1).padStart(13)} ${String(r.findings).padStart(10)}` +
      ` ${(r.ms / base.ms).toFixed(2).padStart(12)} ${(r.size / base.size).toFixed(2).padStart(12)}`,
  );
}
