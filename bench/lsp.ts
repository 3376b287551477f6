// Language-server bench: how long a diagnostics round takes after a one-line edit, on a generated repo, in
// the server's own workspace (lsp/workspace.ts: the edited file parsed and validated again, references, rules
// and policies re-run where the edit reaches), against compiling the same sources from scratch.
// A round is what the server does before it publishes: compile, then turn every finding into the editor's form.
// Usage: npx tsx bench/lsp.ts [--resources 10000] [--edits 40] [--scratch 5]
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { toEditorDiagnostic } from '../lsp/diagnostics.ts';
import { Workspace } from '../lsp/workspace.ts';
import { compileSources } from '../pipeline/compile.ts';
import { commandLine, count } from './lib/args.ts';
import { isMain } from './lib/cli.ts';
import { goal, type Goal } from './lib/goals.ts';
import { currentLoad } from './lib/machine.ts';
import { table } from './lib/markdown.ts';
import { ensureRepo } from './lib/repos.ts';
import { formatMs, median, quantile } from './lib/stats.ts';

interface Sample {
  wall: number;
  cpu: number;
}

export interface LspBenchOptions {
  resources: number;
  edits: number;
  scratch: number;
  log: (line: string) => void;
}

export function runLspBench(options: LspBenchOptions): { markdown: string; goals: Goal[] } {
  const repo = ensureRepo(options.resources, 'single', 1);
  const routes = readdirSync(join(repo, 'routes'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => `routes/${f}`);
  const loadBefore = currentLoad();
  /** Wall and CPU milliseconds: on a shared machine the CPU time is the steadier of the two. */
  const time = (fn: () => unknown): Sample => {
    const start = performance.now();
    const cpu = process.cpuUsage();
    fn();
    const used = process.cpuUsage(cpu);
    return { wall: performance.now() - start, cpu: (used.user + used.system) / 1000 };
  };
  const round = (ws: Workspace) => {
    const snapshot = ws.compile();
    return snapshot.diagnostics.map(toEditorDiagnostic).length;
  };
  const workspace = new Workspace(repo, { today: '2026-01-01' });
  const cold = time(() => round(workspace));
  options.log(`lsp bench: first round on ${options.resources} resources in ${formatMs(cold.wall)}`);
  const texts = new Map(workspace.sources().map((f) => [f.path, f.text]));
  const edits: Sample[] = [];
  for (let i = 0; i < options.edits; i++) {
    // One line of one route changed (its retry attempts), a different route each time, as typing would.
    const path = routes[(i * 7919) % routes.length]!;
    const text = texts.get(path)!;
    const edited = text.replace(/^( {4}attempts: )(\d+)$/m, (_, key: string, n: string) => `${key}${(Number(n) % 5) + 1}`);
    workspace.setBuffer(path, edited === text ? `${text}# edit ${i}\n` : edited);
    const sample = time(() => round(workspace));
    if (workspace.parsedLastRound !== 1) throw new Error(`bench: an edit of one file parsed ${workspace.parsedLastRound} files`);
    edits.push(sample);
  }
  const sources = workspace.sources();
  const scratch = Array.from({ length: options.scratch }, () => time(() => compileSources(sources, { today: '2026-01-01' })));
  const loadAfter = currentLoad();
  const size = options.resources.toLocaleString('en');
  const row = (what: string, samples: Sample[]): string[] => {
    const wall = samples.map((s) => s.wall);
    const cpu = samples.map((s) => s.cpu);
    return [
      size,
      what,
      String(samples.length),
      formatMs(median(wall)),
      formatMs(quantile(wall, 0.95)),
      formatMs(median(cpu)),
      formatMs(quantile(cpu, 0.95)),
    ];
  };
  const p95 = quantile(
    edits.map((e) => e.wall),
    0.95,
  );
  const markdown = [
    table(
      ['resources', 'what', 'rounds', 'wall p50', 'wall p95', 'CPU p50', 'CPU p95'],
      [
        row('first round (parse and validate every file)', [cold]),
        row('round after a one-line edit (incremental)', edits),
        row('the same sources compiled from scratch (`compileSources`, IR included)', scratch),
      ],
    ),
    '',
    `Command: \`npx tsx bench/lsp.ts --resources ${options.resources} --edits ${options.edits}\` (in process, \`lsp/workspace.ts\`). ` +
      'A round is what the server does before it publishes: compile every environment (dev, staging, prod), then turn ' +
      `every finding into the editor's form. 1-minute load average ${loadBefore.toFixed(2)} before and ${loadAfter.toFixed(2)} after.`,
  ].join('\n');
  const goals = [goal(`language-server diagnostics after a one-line edit ≤ 100 ms p95 at ${size}`, formatMs(p95), p95, (ms) => ms <= 100)];
  return { markdown, goals };
}

if (isMain(import.meta.url)) {
  const { values } = commandLine({
    script: 'bench/lsp.ts',
    summary: "The language server's diagnostics round after a one-line edit, against compiling from scratch.",
    options: {
      resources: count(10000, 'size of the generated repo'),
      edits: count(40, 'one-line edits timed'),
      scratch: count(5, 'compiles from scratch timed'),
    },
  });
  const result = runLspBench({
    resources: values.resources,
    edits: values.edits,
    scratch: values.scratch,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${result.markdown}\n`);
}
