import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../schema/package-root.ts';
import { lazySource, locateInSpans } from './locate.ts';
import { parseFile, parseFiles, type FileText } from './parse-files.ts';
import { stripBom } from './parse-yaml.ts';

const files: FileText[] = Array.from({ length: 60 }, (_, i) => ({
  path: `routes/r${i}.yaml`,
  text:
    i % 17 === 3
      ? 'spec:\n  a: 1\n  a: 2\n' // a duplicate key
      : i % 13 === 5
        ? 'spec: [1, 2\n' // a syntax error
        : `${i % 11 === 0 ? '\uFEFF' : ''}kind: Route\nmetadata:\n  name: r${i}\nspec:\n  targets:\n    - provider: p${i}\n      weight: ${i}\n---\nkind: Prompt\nmetadata: {name: p${i}}\n`,
}));

let workerFile: string;
beforeAll(async () => {
  // The CLI bundle carries the worker as dist/cli/parse-worker.mjs; from the sources it is bundled here.
  workerFile = join(mkdtempSync(join(tmpdir(), 'mg-parse-worker-')), 'parse-worker.mjs');
  await build({
    entryPoints: [join(PACKAGE_ROOT, 'compiler/load/parse-worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: workerFile,
    logLevel: 'warning',
    // yaml is CommonJS and requires Node built-ins: an ES module has no `require` unless given one.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
});

describe('parseFiles', () => {
  it('gives the same documents, spans and findings on three threads as on this one', () => {
    const alone = files.map(parseFile);
    const fallbacks: string[] = [];
    const threaded = parseFiles(files, { threads: 3, workerFile, onFallback: (reason) => fallbacks.push(reason) });
    expect(fallbacks).toEqual([]);
    expect(threaded).toEqual(alone);
    expect(alone.filter((f) => f.diagnostics.length).length).toBeGreaterThan(3);
    // Spans from a worker locate exactly as the thread's own.
    const src = lazySource(files[2]!.path, stripBom(files[2]!.text));
    const path = ['spec', 'targets', 0, 'weight'];
    expect(locateInSpans(threaded[2]!.documents[0]!.spans, src, path)).toEqual(locateInSpans(alone[2]!.documents[0]!.spans, src, path));
    expect(locateInSpans(threaded[2]!.documents[0]!.spans, src, path)).toMatchObject({ line: 7, column: 15 });
  });

  it("uses what a worker sends back, in the files' order", () => {
    const fake = join(mkdtempSync(join(tmpdir(), 'mg-fake-worker-')), 'fake.mjs');
    writeFileSync(
      fake,
      `import { workerData } from 'node:worker_threads';
const { files, state, port } = workerData;
port.postMessage(files.map((f) => ({ documents: [], diagnostics: [{ ruleId: 'from-worker', file: f.path }] })));
Atomics.store(state, 0, 2);
Atomics.notify(state, 0);`,
    );
    const results = parseFiles(files.slice(0, 4), { threads: 2, workerFile: fake });
    expect(results.slice(0, 2).map((r) => r.diagnostics.length)).toEqual([0, 0]);
    expect(results.slice(2).map((r) => r.diagnostics[0])).toEqual([
      { ruleId: 'from-worker', file: 'routes/r2.yaml' },
      { ruleId: 'from-worker', file: 'routes/r3.yaml' },
    ]);
  });

  it('parses on this thread what a worker that cannot start or fails was given', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mg-bad-worker-'));
    writeFileSync(join(dir, 'broken.mjs'), "import 'no-such-package-anywhere';\n");
    const alone = files.map(parseFile);
    const fallbacks: string[] = [];
    expect(
      parseFiles(files, { threads: 2, workerFile: join(dir, 'broken.mjs'), startTimeoutMs: 500, onFallback: (r) => fallbacks.push(r) }),
    ).toEqual(alone);
    expect(fallbacks).toEqual(['the worker did not start within 500 ms']);
    expect(parseFiles(files, { threads: 2, workerFile: join(dir, 'not-there.mjs') })).toEqual(alone);
  });
});
