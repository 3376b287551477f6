// `npm run bench`: the compiler, YAML-writer and gateway benchmarks in one run, written to bench/RESULTS.md
// with the machine they ran on. `--quick` is a smoke run (CI): one run per command, fewer sizes and
// connections, printed only, so it never replaces recorded results. Slow timings never fail a run; only a
// crash does. The whole run stays ≈ 10 min on 2 cores: the YAML-writer and compiler benches share
// --budget-s (default 390 s; the compiler skips what would overrun it) and the gateway bench takes a fixed
// ≈ 3.5 min (42 cells of 4 s plus warm-ups and start-ups; ≈ 1 min more once /v1/responses is served); the MCP
// cell ≈ 30 s (≈ 10 s with --quick).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCompilerBench } from './compiler.ts';
import { runGatewayBench } from './gateway.ts';
import { runLspBench } from './lsp.ts';
import { runMcpBench } from './mcp.ts';
import { commandLine } from './lib/args.ts';
import { goalsTable } from './lib/goals.ts';
import { currentLoad, describeMachine } from './lib/machine.ts';
import { runYamlEmitBench } from './yaml-emit.ts';

const RESULTS = fileURLToPath(new URL('./RESULTS.md', import.meta.url));
/** Everything below this line in RESULTS.md is written by people (profiles, analysis) and kept on each run. */
const NOTES_MARKER = '<!-- Hand-written notes below: bench/run.ts keeps everything after this line. -->';

const { values } = commandLine({
  script: 'bench/run.ts',
  summary: 'The compiler, YAML-writer, language-server, gateway and MCP benches in one run, written to bench/RESULTS.md.',
  options: {
    quick: { type: 'boolean', description: 'a smoke run, printed only (never replaces recorded results)' },
    out: {
      type: 'string',
      value: 'FILE',
      description: 'the file to write the results to (default bench/RESULTS.md; printed only with --quick)',
    },
    'budget-s': { type: 'number', min: 0, default: 390, description: 'seconds the YAML-writer and compiler benches share' },
  },
});
const quick = values.quick;
const log = (line: string) => process.stderr.write(`${line}\n`);
const started = performance.now();
const machine = describeMachine();
const date = new Date().toISOString().slice(0, 16).replace('T', ' ');

const yamlEmit = runYamlEmitBench({ resources: quick ? 1000 : 10_000, rounds: quick ? 2 : 5, log });
const budgetS = Math.round((quick ? 120 : values['budget-s']) - (performance.now() - started) / 1000);
const compiler = await runCompilerBench({ quick, runs: 5, budgetS, log });
const lsp = runLspBench({ resources: quick ? 1000 : 10_000, edits: quick ? 5 : 40, scratch: quick ? 1 : 3, log });
const gateway = await runGatewayBench({ quick, durationS: quick ? 3 : 4, log });
const mcp = await runMcpBench(quick ? { calls: 200, rounds: 2, warmUpCalls: 30, log } : { calls: 2000, rounds: 10, warmUpCalls: 300, log });
const minutes = (performance.now() - started) / 60_000;

const generated = [
  '# Benchmark results',
  '',
  `Recorded by \`npm run bench${quick ? ' -- --quick' : ''}\` on ${date} UTC in ${minutes.toFixed(1)} min.`,
  '',
  `- Node ${machine.node}; CPU ${machine.cpu}, ${machine.cores} cores; ${machine.memoryGb} GB memory.`,
  `- 1-minute load average ${machine.load.toFixed(2)} at the start and ${currentLoad().toFixed(2)} at the end ` +
    '(the machine is shared: absolute numbers are noisy, ratios measured side by side in one run are what to read).',
  '- Regenerate with `npm run bench`; how to profile: bench/README.md.',
  '',
  '## Goals (issues #9, #14, #15, #16 and #21)',
  '',
  goalsTable([...compiler.goals, ...yamlEmit.goals, ...lsp.goals, ...gateway.goals, ...mcp.goals]),
  '',
  '## Compiler',
  '',
  compiler.markdown,
  '',
  '## YAML writer (targets/yaml-emit.ts against yaml’s stringify)',
  '',
  yamlEmit.markdown,
  '',
  '## Language server (bench/lsp.ts)',
  '',
  lsp.markdown,
  '',
  '## Gateway',
  '',
  gateway.markdown,
  '',
  '## MCP tools/call (bench/mcp.ts)',
  '',
  mcp.markdown,
  '',
].join('\n');

const out = values.out ?? (quick ? undefined : RESULTS);
if (out) {
  const previous = existsSync(out) ? readFileSync(out, 'utf8') : '';
  const at = previous.indexOf(NOTES_MARKER);
  const notes = at >= 0 ? previous.slice(at) : `${NOTES_MARKER}\n`;
  writeFileSync(out, `${generated}\n${notes}`);
  log(`bench: wrote ${out} in ${minutes.toFixed(1)} min`);
} else {
  process.stdout.write(generated);
  log(`bench: quick run done in ${minutes.toFixed(1)} min`);
}
