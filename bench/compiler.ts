// Compiler benchmark: whole-process wall time, CPU time and peak RSS of the floor, `modelgate validate|build|plan`
// and Spectral on generated repos, each the median of several runs, side by side in one run; with `--before DIR`
// each modelgate command also runs from another checkout (before/after in one run, alternating ABBA).
// Usage: npm run bench:compiler [-- --quick] [-- --runs 5] [-- --budget-s 390] [-- --before /path/to/checkout] [-- --sizes 10000]
//        [-- --only floor,build-all]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Layout } from './generate.ts';
import { prepareBundles } from './lib/bundles.ts';
import { commandLine, count } from './lib/args.ts';
import { isMain } from './lib/cli.ts';
import { code, table } from './lib/markdown.ts';
import { measureProcess, rssSource, type CommandLine, type ProcessSample } from './lib/measure.ts';
import { ProcessGroup } from './lib/processes.ts';
import { ensureChangedCopy, ensureRepo, isCached } from './lib/repos.ts';
import { spectralLint } from './lib/spectral.ts';
import { formatMb, formatMs, formatRatio, median } from './lib/stats.ts';
import { goal, type Goal } from './lib/goals.ts';
import { freshBundle } from '../kernel/prebuilt.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SEED = 1;
const RUN_TIMEOUT_MS = 10 * 60_000;

type SubjectId = 'floor' | 'validate' | 'validate-all' | 'build' | 'build-all' | 'plan-cold' | 'plan' | 'spectral';

interface Workspace {
  repo: string;
  /** The checkout whose CLI runs: this one, or the one given with --before. */
  checkout: string;
  /** The bundled floor script. */
  floor: string;
  /** The repo with one file changed (plan's head); made on first use. */
  changed: () => string;
  out: string;
  /** Plan caches: emptied before every cold run; filled once, untimed, for the warm runs. */
  coldCache: string;
  warmCache: string;
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

/** A modelgate command, run from the workspace's checkout. */
const modelgate = (ws: Workspace, ...args: string[]): CommandLine => ({
  command: process.execPath,
  args: [...MODELGATE, ...args],
  cwd: ws.checkout,
});

const SUBJECTS: readonly Subject[] = [
  {
    id: 'floor',
    display: 'node floor.mjs <repo> (bench/floor.ts bundled with esbuild, as the CLI is)',
    expected: 0,
    alsoCounts: { 1: 'invalid documents' },
    line: (ws) => ({ command: process.execPath, args: [ws.floor, ws.repo], cwd: ROOT }),
  },
  {
    id: 'validate',
    display: 'node bin/modelgate.mjs validate <repo> --env prod',
    expected: 0,
    alsoCounts: { 1: 'findings' },
    line: (ws) => modelgate(ws, 'validate', ws.repo, '--env', 'prod'),
  },
  {
    // Every environment: what a merge request pipeline validates (issue #21's goal).
    id: 'validate-all',
    display: 'node bin/modelgate.mjs validate <repo>',
    expected: 0,
    alsoCounts: { 1: 'findings' },
    line: (ws) => modelgate(ws, 'validate', ws.repo),
  },
  {
    id: 'build',
    display: 'node bin/modelgate.mjs build <repo> --env prod --target node,envoy,k8s --out <tmp>',
    expected: 0,
    alsoCounts: { 1: 'refused after compiling' },
    line: (ws) => modelgate(ws, 'build', ws.repo, '--env', 'prod', '--target', 'node,envoy,k8s', '--out', ws.out),
    beforeRun: (ws) => rmSync(ws.out, { recursive: true, force: true }),
  },
  {
    id: 'build-all',
    display: 'node bin/modelgate.mjs build <repo> --env prod --out <tmp> (every target)',
    expected: 0,
    alsoCounts: { 1: 'refused after compiling' },
    line: (ws) => modelgate(ws, 'build', ws.repo, '--env', 'prod', '--out', ws.out),
    beforeRun: (ws) => rmSync(ws.out, { recursive: true, force: true }),
  },
  {
    id: 'plan-cold',
    display: 'node bin/modelgate.mjs plan <repo with one route file changed> --env prod --base <repo> --cache-dir <empty folder>',
    expected: 2,
    alsoCounts: { 0: 'saw no change', 1: 'errors' },
    line: (ws) => planLine(ws, ws.changed(), ws.coldCache),
    beforeRun: (ws) => rmSync(ws.coldCache, { recursive: true, force: true }),
  },
  {
    // What a merge request pipeline after one more commit does: the cache holds the base and the head before it.
    id: 'plan',
    display:
      'node bin/modelgate.mjs plan <repo with one route file changed> --env prod --base <repo> --cache-dir <folder filled by planning <repo> against itself>',
    expected: 2,
    alsoCounts: { 0: 'saw no change', 1: 'errors' },
    line: (ws) => planLine(ws, ws.changed(), ws.warmCache),
    beforeRun: (ws) => {
      if (existsSync(join(ws.warmCache, 'side'))) return;
      const { command, args, cwd } = planLine(ws, ws.repo, ws.warmCache);
      spawnSync(command, args, { cwd, stdio: 'ignore', timeout: RUN_TIMEOUT_MS });
    },
  },
  {
    id: 'spectral',
    display: 'spectral lint "**/*.yaml" --ruleset bench/spectral-ruleset.yaml (cwd <repo>)',
    expected: 0,
    alsoCounts: { 1: 'findings' },
    line: (ws) => spectralLint(ws.repo, ['--quiet']),
  },
];

function planLine(ws: Workspace, head: string, cacheDir: string): CommandLine {
  return modelgate(ws, 'plan', head, '--env', 'prod', '--base', ws.repo, '--cache-dir', cacheDir);
}

export interface CompilerOptions {
  quick: boolean;
  runs: number;
  /** Seconds after which remaining measurements are skipped (reported as such), so a run stays bounded. */
  budgetS: number;
  /** Another checkout whose modelgate commands run beside this one's, for a before/after in one run. */
  before?: string;
  /** Only the repos of these sizes (every size when omitted). */
  sizes?: readonly number[];
  /** Only these commands (every one when omitted): more runs of one goal's cells in the same time. */
  only?: readonly string[];
  log: (line: string) => void;
}

type Checkout = 'after' | 'before';

interface Cell {
  resources: number;
  layout: Layout;
  subject: SubjectId;
  runs: number;
  checkout: Checkout;
}

/** Cells on one repo. Their runs are interleaved (a, b, c, a, b, c, ...) so that load drifting on a shared
 * machine hits every command alike and the ratios between them hold. */
interface Group {
  resources: number;
  layout: Layout;
  cells: Cell[];
}

/**
 * What runs, most important first: a run that would overrun the budget is skipped, so the whole bench stays
 * < 10 min. Spectral (≈ 30 ms a file) and 50,000 resources are costly: fewer runs. Spectral lints only the
 * first document of a multi-document file, and plan is about one changed file: both on single-document repos.
 */
function schedule(options: CompilerOptions): Group[] {
  // With --before, each modelgate command runs from both checkouts; the floor and Spectral are the same for both.
  const checkouts = (subject: SubjectId): Checkout[] =>
    options.before && subject !== 'floor' && subject !== 'spectral' ? ['before', 'after'] : ['after'];
  const group = (resources: number, layout: Layout, subjects: [SubjectId, number][]): Group => ({
    resources,
    layout,
    cells: subjects
      .filter(([subject]) => !options.only || options.only.includes(subject))
      .flatMap(([subject, runs]) => checkouts(subject).map((checkout) => ({ resources, layout, subject, runs, checkout }))),
  });
  if (options.quick) {
    return [
      group(1000, 'single', [
        ['floor', 1],
        ['validate', 1],
        ['validate-all', 1],
        ['build', 1],
        ['build-all', 1],
        ['plan', 1],
      ]),
      group(50, 'single', [['spectral', 1]]),
    ];
  }
  const all = options.runs;
  const few = Math.min(options.runs, 3);
  return [
    group(1000, 'single', [
      ['floor', all],
      ['validate', all],
      ['validate-all', all],
      ['build', few],
      ['build-all', few],
      ['plan-cold', 1],
      ['plan', few],
    ]),
    group(10000, 'single', [
      ['floor', all],
      ['validate', all],
      ['validate-all', all],
      ['build', few],
      ['build-all', few],
      ['plan-cold', 1],
      ['plan', few],
    ]),
    group(1000, 'single', [['spectral', few]]),
    // validate at 50,000 before the rest: its peak RSS is the memory-growth goal's third point.
    group(50000, 'single', [['validate', 1]]),
    group(10000, 'multi', [
      ['floor', few],
      ['validate', few],
    ]),
    group(50000, 'single', [
      ['floor', 1],
      ['build', 1],
      ['plan-cold', 1],
      ['plan', 1],
    ]),
  ];
}

interface Row extends Cell {
  samples: ProcessSample[];
  /** Set when a run exited with a code that still counts (findings, refused build): what it said. */
  note?: string;
  /** Why the cell has no numbers: a failure, or skipped for the budget. */
  unmeasured?: string;
  /** No further runs: failed, or the next one would overrun the budget. */
  done?: boolean;
}

/** One run of a cell; records the sample, or why the command cannot be measured. */
async function runOnce(row: Row, subject: Subject, ws: Workspace, group: ProcessGroup): Promise<void> {
  subject.beforeRun?.(ws);
  let line: CommandLine;
  try {
    line = subject.line(ws);
  } catch (error) {
    row.unmeasured = (error as Error).message;
    return;
  }
  const sample = await measureProcess(line, RUN_TIMEOUT_MS, group);
  // Paths into the cached repo are long and say nothing the table does not.
  const reason = sample.reason.replace(/\S*modelgate-bench\/repos\/[^/\s]+\//g, '<repo>/');
  const meaning = sample.code === null ? undefined : subject.alsoCounts[sample.code];
  if (sample.timedOut) row.unmeasured = `timed out after ${RUN_TIMEOUT_MS / 1000} s`;
  else if (sample.code !== subject.expected && meaning === undefined) row.unmeasured = `exit ${sample.code}: ${reason}`;
  else {
    row.note ??= meaning && `exit ${sample.code} (${meaning}): ${reason}`;
    row.samples.push(sample);
  }
}

/** Predictions are scaled up by this much: a run on a 10× larger repo is often more than 10× slower. */
const PREDICTION_MARGIN = 1.25;
/** Writing a repo takes about this long per resource on an idle 2-core machine (yaml.stringify dominates). */
const GENERATE_MS_PER_RESOURCE = 0.6;

/** Expected time of the next run of a cell: its earlier runs, else the same command on a smaller repo scaled linearly. */
function predictMs(rows: readonly Row[], row: Row): number {
  if (row.samples.length > 0) return median(row.samples.map((s) => s.wallMs));
  const smaller = rows
    .filter(
      (r) =>
        r.subject === row.subject &&
        r.checkout === row.checkout &&
        r.layout === row.layout &&
        r.resources < row.resources &&
        r.samples.length > 0,
    )
    .sort((a, b) => b.resources - a.resources)[0];
  return smaller ? median(smaller.samples.map((s) => s.wallMs)) * (row.resources / smaller.resources) * PREDICTION_MARGIN : 0;
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
  const { floor } = await prepareBundles();
  if (options.before) prepareCheckout(options.before);
  try {
    for (const g of schedule(options).filter((g) => (!options.sizes || options.sizes.includes(g.resources)) && g.cells.length)) {
      const cells: Row[] = g.cells.map((c) => ({ ...c, samples: [] }));
      rows.push(...cells);
      let ws: Record<Checkout, Workspace> | undefined;
      for (let i = 0; i < Math.max(...cells.map((c) => c.runs)); i++) {
        // ABBA: every other round runs the cells in reverse order, so that neither checkout always runs first.
        for (const row of i % 2 ? [...cells].reverse() : cells) {
          if (row.done || i >= row.runs) continue;
          const generate = ws || isCached(g.resources, g.layout, SEED) ? 0 : g.resources * GENERATE_MS_PER_RESOURCE;
          if (performance.now() + generate + predictMs(rows, row) > deadline) {
            row.done = true;
            if (row.samples.length === 0) row.unmeasured = `skipped: would overrun the ${options.budgetS} s budget (--budget-s)`;
            continue;
          }
          if (!ws) {
            const repo = ensureRepo(g.resources, g.layout, SEED);
            const workspace = (checkout: Checkout): Workspace => {
              // Each checkout has plan caches of its own: their formats may differ.
              const caches = join(scratch, `plan-cache-${g.resources}-${g.layout}-${checkout}`);
              return {
                repo,
                checkout: checkout === 'before' ? options.before! : ROOT,
                floor,
                changed: () => ensureChangedCopy(repo).dir,
                out: join(scratch, 'out'),
                coldCache: join(caches, 'cold'),
                warmCache: join(caches, 'warm'),
              };
            };
            ws = { after: workspace('after'), before: workspace('before') };
          }
          await runOnce(row, SUBJECTS.find((s) => s.id === row.subject)!, ws[row.checkout], group);
          row.done = row.unmeasured !== undefined;
          const last = row.samples.at(-1);
          options.log(
            `compiler: ${row.subject}${options.before ? ` (${row.checkout})` : ''} N=${row.resources} ${row.layout} run ${i + 1}: ${
              row.unmeasured ?? `${formatMs(last!.wallMs)} wall, ${formatMs(last!.cpuMs)} CPU, load ${loadavg()[0]!.toFixed(2)}`
            }`,
          );
        }
      }
    }
  } finally {
    group.dispose();
    rmSync(scratch, { recursive: true, force: true });
  }
  return { markdown: render(rows, options.before), goals: goals(rows) };
}

/** Makes sure the other checkout's `bin/modelgate.mjs` runs its bundle too (without it, it would pay tsx). */
function prepareCheckout(dir: string): void {
  if (!existsSync(join(dir, 'bin/modelgate.mjs'))) throw new Error(`--before ${dir}: not a modelgate checkout`);
  if (!freshBundle(dir)) execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-cli.ts'], { cwd: dir, stdio: 'inherit' });
  if (!freshBundle(dir)) throw new Error(`--before ${dir}: its CLI bundle could not be built`);
}

type Measure = 'wallMs' | 'cpuMs' | 'maxRssKb';

/** Median of one measure of one cell; NaN when the cell was not measured. */
function stat(rows: Row[], resources: number, layout: Layout, subject: SubjectId, measure: Measure, checkout: Checkout = 'after'): number {
  // The floor and Spectral run once for both checkouts.
  const from = subject === 'floor' || subject === 'spectral' ? 'after' : checkout;
  const row = rows.find((r) => r.resources === resources && r.layout === layout && r.subject === subject && r.checkout === from);
  return row && row.samples.length > 0 ? median(row.samples.map((s) => s[measure])) : Number.NaN;
}

function render(measured: Row[], before: string | undefined): string {
  const order = (r: Row) => [
    r.resources,
    r.layout === 'single' ? 0 : 1,
    SUBJECTS.findIndex((s) => s.id === r.subject),
    r.checkout === 'before' ? 0 : 1,
  ];
  const rows = [...measured].sort((a, b) => {
    const [x, y] = [order(a), order(b)];
    return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]! || x[3]! - y[3]!;
  });
  const checkouts: Checkout[] = before ? ['before', 'after'] : ['after'];
  const shown = (r: Row) => (before ? [r.checkout] : []);
  const timings = table(
    [
      'resources',
      'layout',
      'command',
      ...(before ? ['checkout'] : []),
      'runs',
      'wall (median)',
      'wall (min–max)',
      'CPU (median)',
      'peak RSS (median)',
      'note',
    ],
    rows.map((r) => {
      const base = [r.resources.toLocaleString('en-US'), r.layout, r.subject, ...shown(r)];
      if (r.samples.length === 0) return [...base, '0', `n/a (${r.unmeasured ?? 'not run'})`, '', '', '', ''];
      const walls = r.samples.map((s) => s.wallMs);
      return [
        ...base,
        String(walls.length),
        formatMs(median(walls)),
        `${formatMs(Math.min(...walls))} – ${formatMs(Math.max(...walls))}`,
        formatMs(median(r.samples.map((s) => s.cpuMs))),
        formatMb(median(r.samples.map((s) => s.maxRssKb))),
        [r.note, r.unmeasured && `then ${r.unmeasured}`].filter(Boolean).join('; '),
      ];
    }),
  );
  const groups = [...new Map(rows.map((r) => [`${r.resources}/${r.layout}`, r])).values()];
  // Wall and CPU ratios side by side: on a shared machine wall time swings with other work, CPU time much less.
  const both = (a: number, b: number, c: number, d: number) => `${formatRatio(a / b)} (CPU ${formatRatio(c / d)})`;
  const ratios = table(
    [
      'resources',
      'layout',
      ...(before ? ['checkout'] : []),
      'validate --env prod / floor',
      'validate (every env) / floor',
      'build (node, envoy, k8s) / floor',
      'build (every target) / floor',
      'plan (one file, warm)',
      'Spectral / validate',
      'Spectral / floor',
    ],
    groups.flatMap(({ resources, layout }) =>
      checkouts
        .filter((checkout) => rows.some((r) => r.resources === resources && r.layout === layout && r.checkout === checkout))
        .map((checkout) => {
          const w = (s: SubjectId) => stat(rows, resources, layout, s, 'wallMs', checkout);
          const c = (s: SubjectId) => stat(rows, resources, layout, s, 'cpuMs', checkout);
          const toFloor = (s: SubjectId) => both(w(s), w('floor'), c(s), c('floor'));
          return [
            resources.toLocaleString('en-US'),
            layout,
            ...(before ? [checkout] : []),
            toFloor('validate'),
            toFloor('validate-all'),
            toFloor('build'),
            toFloor('build-all'),
            `${formatMs(w('plan'))} (CPU ${formatMs(c('plan'))})`,
            formatRatio(w('spectral') / w('validate')),
            formatRatio(w('spectral') / w('floor')),
          ];
        }),
    ),
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
      `Wall time is the whole process (Node start-up included; the CLI and the floor both run bundled, without tsx); CPU time (user + system, every thread) and peak RSS from ${rssSource()}. ` +
      (before ? `\`before\` is the checkout given with \`--before\`, run in the same rounds (ABBA). ` : '') +
      '`n/a` means the command failed, is not there yet, or was skipped; the reason is given.',
  ].join('\n');
}

function goals(rows: Row[]): Goal[] {
  const wall = (subject: SubjectId, n: number) => stat(rows, n, 'single', subject, 'wallMs');
  const ratio = (a: SubjectId, b: SubjectId, n: number) => wall(a, n) / wall(b, n);
  const spectralN = rows.find((r) => r.subject === 'spectral' && r.samples.length > 0)?.resources ?? 1000;
  const rss = (n: number) => stat(rows, n, 'single', 'validate', 'maxRssKb');
  // Linear growth: each further 1,000 resources cost about the same memory, from 1k to 10k as from 10k to 50k.
  const slope = (from: number, to: number) => ((rss(to) - rss(from)) / (to - from)) * 1000;
  const validate = ratio('validate-all', 'floor', 10000);
  const build = ratio('build-all', 'floor', 10000);
  const spectral = ratio('spectral', 'validate', spectralN);
  const plan = wall('plan', 10000);
  const growth = slope(10000, 50000) / slope(1000, 10000);
  return [
    goal('validate of every environment ≤ 1.2× the floor at 10,000 resources', formatRatio(validate), validate, (v) => v <= 1.2),
    goal('build of every target ≤ 1.5× the floor at 10,000', formatRatio(build), build, (v) => v <= 1.5),
    goal(`Spectral ≥ 40× slower than validate (at ${spectralN.toLocaleString('en-US')})`, formatRatio(spectral), spectral, (v) => v >= 40),
    goal('one-file plan ≤ 1 s at 10,000 (stretch: 300 ms)', formatMs(plan), plan, (v) => v <= 1000),
    goal(
      'memory grows linearly: validate peak RSS per further 1,000 resources, 10k→50k within 1.25× of 1k→10k',
      `${formatMb(slope(1000, 10000))} → ${formatMb(slope(10000, 50000))}`,
      growth,
      (v) => v <= 1.25,
    ),
  ];
}

if (isMain(import.meta.url)) {
  const { values } = commandLine({
    script: 'bench/compiler.ts',
    summary: 'Wall time, CPU and peak RSS of the floor, modelgate validate|build|plan and Spectral on generated repos.',
    options: {
      quick: { type: 'boolean', description: 'one run per command, fewer sizes' },
      runs: count(5, 'runs per command; the median is reported'),
      'budget-s': { type: 'number', min: 0, default: 390, description: 'seconds the bench may take; what would overrun it is skipped' },
      before: { type: 'string', value: 'DIR', description: 'another checkout whose CLI runs beside this one (ABBA)' },
      sizes: { type: 'numbers', integer: true, min: 1, description: 'comma-separated repo sizes in resources' },
      only: { type: 'string', value: 'LIST', description: 'comma-separated subjects to run, e.g. floor,build-all' },
    },
  });
  const report = await runCompilerBench({
    quick: values.quick,
    runs: values.runs,
    budgetS: values['budget-s'],
    ...(values.before ? { before: resolve(values.before) } : {}),
    ...(values.sizes ? { sizes: values.sizes } : {}),
    ...(values.only ? { only: values.only.split(',') } : {}),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${report.markdown}\n`);
}
