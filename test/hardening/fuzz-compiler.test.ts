// Compiler fuzzing (issue #7, item 1): whatever a user commits, modelgate answers with a report, never an
// exception, and every finding points into a file it was given. `npm run test:hardening` runs a small fixed-seed
// sample (a few hundred cases, a few seconds); `npm run fuzz` (FUZZ_RUNS) the long run, 100,000 cases shared out.
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REPORT_FORMATS } from '../../reports/formats/index.ts';
import type { SourceFile } from '../../compiler/load/load-project.ts';
import { compileSources, type CompileOptions } from '../../pipeline/compile.ts';
import { formatReport } from '../../reports/formats/index.ts';
import { ACME_FILES, CLI, tempDir, withFile, writeRepo } from './acme.ts';
import { diagnosticProblems } from './diagnostic-invariants.ts';
import { fuzzParameters, PROPERTY_TIMEOUT_MS } from './fuzz-runs.ts';
import { generatedRepoArb } from './schema-documents.ts';
import { applyMutations, mutationArb, type Mutation } from './yaml-mutations.ts';

const run = promisify(execFile);
const PATHS = ACME_FILES.map((f) => f.path);
const PARSED_FORMATS = new Set(['json', 'sarif', 'codequality']);

/** One acme file mutated, compiled with a few of the others (the whole repo is slow to parse thousands of times). */
const acmeCase = fc.record({
  file: fc.constantFrom(...PATHS),
  others: fc.subarray(PATHS, { maxLength: 3 }),
  mutations: fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
  env: fc.constantFrom<CompileOptions['env']>(undefined, 'all'),
});

function mutatedSources(c: { file: string; others: string[]; mutations: Mutation[] }): SourceFile[] {
  const chosen = new Set([c.file, ...c.others]);
  const files = ACME_FILES.filter((f) => chosen.has(f.path));
  return withFile(files, c.file, applyMutations(files.find((f) => f.path === c.file)!.text, c.mutations));
}

/** The property: a result (no throw), located findings, and every report format renders (and parses). */
function compilesToReport(files: SourceFile[], env: CompileOptions['env']): void {
  const result = compileSources(files, { env });
  expect(diagnosticProblems(files, result.diagnostics)).toEqual([]);
  for (const format of REPORT_FORMATS) {
    const out = formatReport(format, result.diagnostics, { filesChecked: files.map((f) => f.path) });
    if (PARSED_FORMATS.has(format)) JSON.parse(out);
  }
}

describe('compiler fuzzing', () => {
  it(
    'answers every mutation of the acme files with located findings, never an exception',
    () => {
      fc.assert(
        fc.property(acmeCase, (c) => compilesToReport(mutatedSources(c), c.env)),
        fuzzParameters(150, 0.6),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'answers every config generated from the schemas with located findings, never an exception',
    () => {
      fc.assert(
        fc.property(generatedRepoArb({ chaos: true }), fc.constantFrom<CompileOptions['env']>(undefined, 'all'), compilesToReport),
        fuzzParameters(200, 0.4),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'generates documents that mostly pass their schemas, so the fuzzing reaches references, overlays and the IR',
    () => {
      const repos = fc.sample(generatedRepoArb({ chaos: false }), { numRuns: 100, seed: 7 });
      const documents = repos.flatMap((files) => files.flatMap((f) => f.text.split('---\n').map((text) => ({ path: f.path, text }))));
      const schemaClean = documents.filter((doc) => !compileSources([doc]).diagnostics.some((d) => d.ruleId === 'schema'));
      expect(schemaClean.length / documents.length).toBeGreaterThan(0.5);
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'exits 0 or 1 with a parseable report and no stack trace on mutated repos (CLI, spawned)',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...PATHS),
          fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
          fc.boolean(),
          async (file, mutations, prod) => {
            const dir = tempDir('fuzz-cli');
            try {
              const original = ACME_FILES.find((f) => f.path === file)!.text;
              writeRepo(dir, withFile(ACME_FILES, file, applyMutations(original, mutations)));
              const args = [CLI, 'validate', dir, '--format', 'json', ...(prod ? ['--env', 'prod'] : [])];
              const { code, stdout, stderr } = await run(process.execPath, args, { maxBuffer: 64 << 20 }).then(
                (r) => ({ code: 0, ...r }),
                (e: { code: number; stdout: string; stderr: string }) => e,
              );
              expect(stderr).not.toMatch(/^\s+at /m);
              expect([0, 1], `exit ${code}: ${stderr}`).toContain(code);
              expect(JSON.parse(stdout)).toBeTypeOf('object');
            } finally {
              rmSync(dir, { recursive: true, force: true });
            }
          },
        ),
        fuzzParameters(3, 0.001),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
