// Does targets/yaml-emit.ts still pay for itself (issue #14)? It must write what `yaml`'s stringify writes, byte
// for byte, forever; it is kept only while it is much faster on the work a build does. This builds a generated
// repo once (timed), parses the YAML files the build wrote back into documents, then times both writers over
// all of them, alternately, for several rounds, and compares the medians: their ratio, and the
// time saved as a share of the build's wall time.
// Usage: npx tsx bench/yaml-emit.ts [-- --quick] [-- --resources 10000] [-- --rounds 7]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';
import { toYamlStream } from '../targets/emit.ts';
import { emitYaml, YAML_OPTIONS } from '../targets/yaml-emit.ts';
import { commandLine } from './lib/args.ts';
import { isMain } from './lib/cli.ts';
import { goal, type Goal } from './lib/goals.ts';
import { table } from './lib/markdown.ts';
import { ensureRepo } from './lib/repos.ts';
import { formatInt, formatMs, formatRatio, median } from './lib/stats.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Issue #14: what the direct writer must save to be worth keeping in step with `yaml`. */
const MIN_SPEEDUP = 1.3;
const MIN_BUILD_SHARE = 0.05;
const DECIDING_RESOURCES = 10_000;
/** Comment lines a target puts before a file's YAML (envoy.yaml's). */
const HEADER = /^(#.*\n)+/;

export interface YamlEmitOptions {
  resources: number;
  rounds: number;
  log: (line: string) => void;
}

export interface YamlEmitReport {
  markdown: string;
  goals: Goal[];
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.yaml'))
    .map((e) => join(e.parentPath, e.name));
}

/** Wall time of one pass of `write` over every document. */
function pass(docs: readonly unknown[], write: (doc: unknown) => string | undefined): number {
  const started = performance.now();
  for (const doc of docs) write(doc);
  return performance.now() - started;
}

export function runYamlEmitBench(options: YamlEmitOptions): YamlEmitReport {
  const repo = ensureRepo(options.resources, 'single', 1);
  const out = mkdtempSync(join(tmpdir(), 'modelgate-bench-yaml-'));
  try {
    const started = performance.now();
    const build = spawnSync(
      process.execPath,
      ['bin/modelgate.mjs', 'build', repo, '--env', 'prod', '--target', 'node,envoy,k8s', '--out', out],
      { cwd: ROOT, encoding: 'utf8' },
    );
    const buildMs = performance.now() - started;
    if (build.status !== 0) throw new Error(`modelgate build exited ${build.status}: ${build.stderr.slice(0, 300)}`);
    const files = yamlFiles(out).map((path) => {
      const text = readFileSync(path, 'utf8');
      return { text, docs: parseAllDocuments(text, { version: '1.1' }).map((d) => d.toJS()) };
    });
    const docs = files.flatMap((f) => f.docs);
    // The documents are the build's own if both writers give each file's bytes back (after a comment header);
    // this pass also warms both up.
    let [bytes, reproduced] = [0, 0];
    for (const file of files) {
      const theirs = file.docs.map((doc) => stringify(doc, YAML_OPTIONS)).join('---\n');
      bytes += theirs.length;
      if (toYamlStream(file.docs) === theirs && file.text.replace(HEADER, '') === theirs) reproduced++;
    }
    const fallbacks = docs.filter((doc) => emitYaml(doc) === undefined).length;
    const writers = { emitYaml: (doc: unknown) => emitYaml(doc), stringify: (doc: unknown) => stringify(doc, YAML_OPTIONS) };
    const times: Record<keyof typeof writers, number[]> = { emitYaml: [], stringify: [] };
    // Alternating which goes first spreads GC debt and load drift over both.
    for (let round = 0; round < options.rounds; round++) {
      for (const name of round % 2 === 0 ? (['emitYaml', 'stringify'] as const) : (['stringify', 'emitYaml'] as const))
        times[name].push(pass(docs, writers[name]));
      options.log(
        `yaml-emit: round ${round + 1}: emitYaml ${formatMs(times.emitYaml[round]!)}, stringify ${formatMs(times.stringify[round]!)}`,
      );
    }
    const emit = median(times.emitYaml);
    const str = median(times.stringify);
    const speedup = str / emit;
    const share = (str - emit) / buildMs;
    const rows = [
      [
        formatInt(options.resources),
        formatInt(docs.length),
        `${(bytes / 1e6).toFixed(1)} MB`,
        formatMs(emit),
        formatMs(str),
        formatRatio(speedup),
        formatMs(buildMs),
        `${(share * 100).toFixed(1)} %`,
        `${reproduced} of ${files.length}`,
        String(fallbacks),
      ],
    ];
    const markdown = [
      table(
        [
          'resources',
          'documents',
          'YAML',
          'emitYaml (median)',
          'stringify (median)',
          'speed-up',
          'build wall',
          'saved / build',
          'files written back byte for byte',
          'emitYaml fallbacks',
        ],
        rows,
      ),
      '',
      `The YAML files of one \`modelgate build --target node,envoy,k8s\` of the generated repo, parsed back (YAML 1.1) and written by each writer in turn, ` +
        `${options.rounds} rounds after a checking pass of both, alternating which goes first; medians. "saved / build" is the stringify median minus the emitYaml median, over the build's wall time. ` +
        'The files written back byte for byte by both writers (after envoy.yaml’s comment header) show that the documents timed are the build’s own; fallbacks are documents emitYaml leaves to stringify.',
    ].join('\n');
    const measured = `${formatRatio(speedup)} faster, ${(share * 100).toFixed(1)} % of a ${formatInt(options.resources)}-resource build saved`;
    // Both thresholds as one figure: ≥ 1 when both are met. The decision is about 10,000-resource builds.
    const pays = options.resources >= DECIDING_RESOURCES ? Math.min(speedup / MIN_SPEEDUP, share / MIN_BUILD_SHARE) : Number.NaN;
    const text = `targets/yaml-emit.ts pays for itself: ≥ ${MIN_SPEEDUP}× stringify’s speed and ≥ ${MIN_BUILD_SHARE * 100} % of a ${formatInt(DECIDING_RESOURCES)}-resource build saved`;
    return { markdown, goals: [goal(text, measured, pays, (v) => v >= 1)] };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) {
  const { values } = commandLine({
    script: 'bench/yaml-emit.ts',
    summary: "targets/yaml-emit.ts against yaml's stringify on a generated repo's build output.",
    options: {
      quick: { type: 'boolean', description: 'a smaller repo and fewer rounds' },
      resources: {
        type: 'number',
        integer: true,
        min: 1,
        description: `size of the generated repo (default ${DECIDING_RESOURCES}, 1000 with --quick)`,
      },
      rounds: { type: 'number', integer: true, min: 1, description: 'alternating rounds (default 7, 2 with --quick)' },
    },
  });
  const report = runYamlEmitBench({
    resources: values.resources ?? (values.quick ? 1000 : DECIDING_RESOURCES),
    rounds: values.rounds ?? (values.quick ? 2 : 7),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${report.markdown}\n\n${report.goals.map((g) => `${g.goal}: ${g.measured}`).join('\n')}\n`);
}
