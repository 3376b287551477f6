// Compiler benchmark: whole-process wall time and peak RSS of the floor, `modelgate validate|build|plan`
// and Spectral on generated repos, each the median of several runs, side by side in one run.
// Usage: npm run bench:compiler [-- --quick] [-- --runs 5] [-- --budget-s 360]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Layout } from './generate.ts';
import { isMain } from './lib/cli.ts';
import { code, table } from './lib/markdown.ts';
import { measureProcess, rssSource, type CommandLine, type ProcessSample } from './lib/measure.ts';
import { ProcessGroup } from './lib/processes.ts';
import { ensureChangedCopy, ensureRepo, isCached } from './lib/repos.ts';
import { spectralLint } from './lib/spectral.ts';
import { formatMb, formatMs, formatRatio, median } from './lib/stats.ts';
import { goal, type Goal } from './lib/goals.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SEED = 1;
const RUN_TIMEOUT_MS = 10 * 60_000;

type SubjectId = 'floor' | 'validate' | 'build' | 'plan' | 'spectral';

interface Workspace {
  repo: string;
  /** The repo with one file changed (plan's head); made on first use. */
  changed: () => string;
  out: string;
}

interface Subject {
  id: SubjectId;
  /** The command as RESULTS.md shows it, with `<repo>`-style placeholders. */
  display: string;
  /** The exit code of a run that did its work as intended. */
  expected: number;
  /** Other exit codes after which the run still did its work, with what they mean (shown as a note). */
  alsoCounts: Readonly<Record<number, string>>;
  line(ws: Workspace): CommandLine;
  /** Untimed preparation before each run. */
  beforeRun?(ws: Workspace): void;
}

const MODELGATE = ['bin/modelgate.mjs'];

const SUBJECTS: readonly Subject[] = [
  {
    id: 'floor',
    display: 'node --import tsx bench/floor.ts <repo>',
    expected: 0,
    alsoCounts: { 1: 'invalid documents' },
    line: (ws) => ({ command: process.execPath, args: ['--import', 'tsx', 'bench/floor.ts', ws.repo], cwd: ROOT }),
  },
  {
    id: 'validate',
    display: 'node bin/modelgate.mjs validate <repo> --env prod',
    expected: 0,
    alsoCounts: { 1: 'findings' },
    line: (ws) => ({ command: process.execPath, args: [...MODELGATE, 'validate', ws.repo, '--env', 'prod'], cwd: ROOT }),
  },
  {
    id: 'build',
    display: 'node bin/modelgate.mjs build <repo> --env prod --target node,envoy,k8s --out <tmp>',
    expected: 0,
    alsoCounts: { 1: 'refused after compiling' },
    line: (ws) => ({
      command: process.execPath,
      args: [...MODELGATE, 'build', ws.repo, '--env', 'prod', '--target', 'node,envoy,k8s', '--out', ws.out],
      cwd: ROOT,
    }),
    beforeRun: (ws) => rmSync(ws.out, { recursive: true, force: true }),
  },
  {
    id: 'plan',
    display: 'node bin/modelgate.mjs plan <repo with one route file changed> --env prod --base <repo>',
    expected: 2,
    alsoCounts: { 0: 'saw no change', 1: 'errors' },
    line: (ws) => ({ command: process.execPath, args: [...MODELGATE, 'plan', ws.changed(), '--env', 'prod', '--base', ws.repo], cwd: ROOT }),
  },
  {
    id: 'spectral',
    display: 'spectral lint "**/*.yaml" --ruleset bench/spectral-ruleset.yaml (cwd <repo>)',
    expected: 0,
    alsoCounts: { 1: 'findings' },
    line: (ws) => spectralLint(ws.repo, ['--quiet']),
  },
];

export interface CompilerOptions {
  quick: boolean;
  runs: number;
  /** Seconds after which remaining measurements are skipped (reported as such), so a run stays bounded. */
  budgetS: number;
  log: (line: string) => void;
}

interface Cell {
  resources: number;
  layout: Layout;
  subject: SubjectId;
  runs: number;
}

/**
 * What runs, most important first: cells that would overrun the budget are skipped, so the whole run stays
 * < 10 min. Spectral (≈ 30 ms a file) and 50,000 resources are costly: fewer runs. Spectral lints only the
 * first document of a multi-document file, and plan is about one changed file: both on single-document repos.
 */
function schedule(options: CompilerOptions): Cell[] {
  const cells: Cell[] = [];
  const add = (resources: number, layout: Layout, subjects: SubjectId[], runs: number) => {
    for (const subject of subjects) cells.push({ resources, layout, subject, runs });
  };
  if (options.quick) {
    add(1000, 'single', ['floor', 'validate', 'build', 'plan'], 1);
    add(50, 'single', ['spectral'], 1);
    return cells;
  }
  const few = Math.min(options.runs, 3);
  add(1000, 'single', ['floor', 'validate', 'build', 'plan'], options.runs);
  add(10000, 'single', ['floor', 'validate'], options.runs);
  add(10000, 'single', ['build', 'plan'], few);
  add(1000, 'single', ['spectral'], few);
  add(10000, 'multi', ['floor', 'validate'], few);
  add(50000, 'single', ['floor', 'validate', 'build', 'plan'], 1);
  return cells;
}

type Outcome =
  | { kind: 'measured'; samples: ProcessSample[]; note?: string }
  | { kind: 'n/a'; reason: string };

interface Row extends Cell {
  outcome: Outcome;
}

async function measureCell(cell: Cell, subject: Subject, ws: Workspace, deadline: number, group: ProcessGroup): Promise<Outcome> {
  const samples: ProcessSample[] = [];
  let note: string | undefined;
  for (let i = 0; i < cell.runs; i++) {
    if (i > 0 && performance.now() > deadline) break;
    subject.beforeRun?.(ws);
    let line: CommandLine;
    try {
      line = subject.line(ws);
    } catch (error) {
      return { kind: 'n/a', reason: (error as Error).message };
    }
    const sample = await measureProcess(line, RUN_TIMEOUT_MS, group);
    if (sample.timedOut) return { kind: 'n/a', reason: `timed out after ${RUN_TIMEOUT_MS / 1000} s` };
    const meaning = sample.code === null ? undefined : subject.alsoCounts[sample.code];
    if (sample.code !== subject.expected && meaning === undefined) {
      return { kind: 'n/a', reason: `exit ${sample.code}: ${sample.reason}` };
    }
    note ??= meaning && `exit ${sample.code} (${meaning}): ${sample.reason}`;
    samples.push(sample);
  }
  return { kind: 'measured', samples, note };
}

/** Writing a repo takes about this long per resource on an idle 2-core machine (yaml.stringify dominates). */
const GENERATE_MS_PER_RESOURCE = 0.6;

/**
 * Expected time of one run of a cell: the same command on the largest smaller repo, scaled linearly,
 * plus writing the repo when it is not cached yet.
 */
function predictMs(rows: Row[], cell: Cell): number {
  const generate = isCached(cell.resources, cell.layout, SEED) ? 0 : cell.resources * GENERATE_MS_PER_RESOURCE;
  const smaller = rows
    .filter((r) => r.subject === cell.subject && r.layout === cell.layout && r.resources < cell.resources && r.outcome.kind === 'measured')
    .sort((a, b) => b.resources - a.resources)[0];
  if (smaller?.outcome.kind !== 'measured') return generate;
  return generate + median(smaller.outcome.samples.map((s) => s.wallMs)) * (cell.resources / smaller.resources);
}

export interface CompilerReport {
  markdown: string;
  goals: Goal[];
}

export async function runCompilerBench(options: CompilerOptions): Promise<CompilerReport> {
  const deadline = performance.now() + options.budgetS * 1000;
  const scratch = mkdtempSync(join(tmpdir(), 'modelgate-bench-compiler-'));
  const group = new ProcessGroup();
  const rows: Row[] = [];
  try {
    for (const cell of schedule(options)) {
      const subject = SUBJECTS.find((s) => s.id === cell.subject)!;
      if (performance.now() + predictMs(rows, cell) > deadline) {
        rows.push({ ...cell, outcome: { kind: 'n/a', reason: `skipped: would overrun the ${options.budgetS} s budget (--budget-s)` } });
        continue;
      }
      const repo = ensureRepo(cell.resources, cell.layout, SEED);
      const ws: Workspace = { repo, changed: () => ensureChangedCopy(repo).dir, out: join(scratch, 'out') };
      options.log(`compiler: ${cell.subject} N=${cell.resources} ${cell.layout} x${cell.runs}`);
      const outcome = await measureCell(cell, subject, ws, deadline, group);
      rows.push({ ...cell, outcome });
      options.log(`  -> ${outcome.kind === 'measured' ? `${formatMs(median(outcome.samples.map((s) => s.wallMs)))}` : outcome.reason}`);
    }
  } finally {
    group.dispose();
    rmSync(scratch, { recursive: true, force: true });
  }
  return { markdown: render(rows), goals: goals(rows) };
}

/** Median of one measure of one cell; NaN when the cell was not measured. */
function stat(rows: Row[], resources: number, layout: Layout, subject: SubjectId, measure: 'wallMs' | 'maxRssKb'): number {
  const row = rows.find((r) => r.resources === resources && r.layout === layout && r.subject === subject);
  return row?.outcome.kind === 'measured' ? median(row.outcome.samples.map((s) => s[measure])) : Number.NaN;
}

function render(measured: Row[]): string {
  const order = (r: Row) => [r.resources, r.layout === 'single' ? 0 : 1, SUBJECTS.findIndex((s) => s.id === r.subject)];
  const rows = [...measured].sort((a, b) => {
    const [x, y] = [order(a), order(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  });
  const timings = table(
    ['resources', 'layout', 'command', 'runs', 'wall (median)', 'wall (min–max)', 'peak RSS (median)', 'note'],
    rows.map((r) => {
      const base = [r.resources.toLocaleString('en-US'), r.layout, r.subject];
      if (r.outcome.kind === 'n/a') return [...base, '0', `n/a (${r.outcome.reason})`, '', '', ''];
      const walls = r.outcome.samples.map((s) => s.wallMs);
      return [
        ...base,
        String(walls.length),
        formatMs(median(walls)),
        `${formatMs(Math.min(...walls))} – ${formatMs(Math.max(...walls))}`,
        formatMb(median(r.outcome.samples.map((s) => s.maxRssKb))),
        r.outcome.note ?? '',
      ];
    }),
  );
  const groups = [...new Map(rows.map((r) => [`${r.resources}/${r.layout}`, r])).values()];
  const ratios = table(
    ['resources', 'layout', 'validate / floor', 'build / floor', 'plan (one file)', 'Spectral / validate', 'Spectral / floor'],
    groups.map(({ resources, layout }) => {
      const w = (s: SubjectId) => stat(rows, resources, layout, s, 'wallMs');
      return [
        resources.toLocaleString('en-US'),
        layout,
        formatRatio(w('validate') / w('floor')),
        formatRatio(w('build') / w('floor')),
        formatMs(w('plan')),
        formatRatio(w('spectral') / w('validate')),
        formatRatio(w('spectral') / w('floor')),
      ];
    }),
  );
  const commands = SUBJECTS.map((s) => `- ${s.id}: ${code(s.display)}`).join('\n');
  return [
    '### Timings',
    '',
    timings,
    '',
    '### Ratios (medians of the same run)',
    '',
    ratios,
    '',
    '### Commands',
    '',
    commands,
    '',
    `Repos: \`bench/generate.ts\`, seed ${SEED}; \`single\` = one document per file, \`multi\` = up to 10 documents per file. ` +
      `Wall time is the whole process (Node start-up and tsx included), peak RSS from ${rssSource()}. ` +
      '`n/a` means the command failed, is not there yet, or was skipped; the reason is given.',
  ].join('\n');
}

function goals(rows: Row[]): Goal[] {
  const wall = (subject: SubjectId, n: number) => stat(rows, n, 'single', subject, 'wallMs');
  const ratio = (a: SubjectId, b: SubjectId, n: number) => wall(a, n) / wall(b, n);
  const spectralN = rows.find((r) => r.subject === 'spectral' && r.outcome.kind === 'measured')?.resources ?? 1000;
  const rss = (n: number) => stat(rows, n, 'single', 'validate', 'maxRssKb');
  // Linear growth: each further 1,000 resources cost about the same memory, from 1k to 10k as from 10k to 50k.
  const slope = (from: number, to: number) => ((rss(to) - rss(from)) / (to - from)) * 1000;
  const validate = ratio('validate', 'floor', 10000);
  const build = ratio('build', 'floor', 10000);
  const spectral = ratio('spectral', 'validate', spectralN);
  const plan = wall('plan', 10000);
  const growth = slope(10000, 50000) / slope(1000, 10000);
  return [
    goal('validate ≤ 1.2× the floor at 10,000 resources', formatRatio(validate), validate, (v) => v <= 1.2),
    goal('build (node, envoy, k8s) ≤ 2.0× the floor at 10,000', formatRatio(build), build, (v) => v <= 2),
    goal(`Spectral ≥ 40× slower than validate (at ${spectralN.toLocaleString('en-US')})`, formatRatio(spectral), spectral, (v) => v >= 40),
    goal('one-file plan ≤ 300 ms at 10,000', formatMs(plan), plan, (v) => v <= 300),
    goal(
      'memory grows linearly: validate peak RSS per further 1,000 resources, 10k→50k within 1.25× of 1k→10k',
      `${formatMb(slope(1000, 10000))} → ${formatMb(slope(10000, 50000))}`,
      growth,
      (v) => v <= 1.25,
    ),
  ];
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, runs: { type: 'string', default: '5' }, 'budget-s': { type: 'string', default: '390' } },
  });
  const report = await runCompilerBench({
    quick: values.quick,
    runs: Number(values.runs),
    budgetS: Number(values['budget-s']),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${report.markdown}\n`);
}
