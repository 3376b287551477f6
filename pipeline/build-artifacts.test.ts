import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_DIR } from '../kernel/prebuilt.mjs';
import { PACKAGE_ROOT } from '../schema/package-root.ts';
import { TARGET_NAMES } from '../targets/registry.ts';
import { buildArtifacts, type Artifacts } from './build-artifacts.ts';
import { compileProject, type EnvironmentCompilation } from './compile.ts';
import { spareTargetWorker, type SpareWorker } from './target-threads.ts';

const ACME = join(PACKAGE_ROOT, 'fixtures/acme');
// The bundled CLI carries the worker (the suite's global setup builds it); from the sources there is none.
const WORKER = join(PACKAGE_ROOT, BUNDLE_DIR, 'build-worker.mjs');
/** Resources loaded, on either side of the size from which a build uses a worker (1,000). */
const [LARGE, SMALL] = [10_000, 10];

let env: EnvironmentCompilation;
let alone: Artifacts;
beforeAll(async () => {
  env = compileProject(ACME, { env: 'prod' }).environments[0]!;
  alone = await buildArtifacts(env, TARGET_NAMES, { threads: 1 });
});

/** A worker script in a scratch folder. */
function script(source: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'mg-build-worker-')), 'worker.mjs');
  writeFileSync(file, source);
  return file;
}

async function onTwoThreads(
  workerFile: string,
  targets = TARGET_NAMES,
  spare?: SpareWorker,
): Promise<{ built: Artifacts; fallbacks: string[] }> {
  const fallbacks: string[] = [];
  const built = await buildArtifacts(env, targets, {
    threads: 2,
    workerFile,
    onFallback: (reason) => fallbacks.push(reason),
    ...(spare ? { spare } : {}),
  });
  return { built, fallbacks };
}

/** Files with their order, and findings: everything a caller writes or reports. */
const written = (a: Artifacts) => ({ files: Object.entries(a.files), diagnostics: a.diagnostics, byTarget: a.byTarget });

describe('buildArtifacts on two threads', () => {
  it('writes the same bytes, in the same order, with the same findings as on one', async () => {
    expect(existsSync(WORKER)).toBe(true);
    const { built, fallbacks } = await onTwoThreads(WORKER);
    expect(fallbacks).toEqual([]);
    expect(written(built)).toEqual(written(alone));
    expect(Object.keys(built.files).some((f) => f.startsWith('envoy/'))).toBe(true);
    expect(alone.diagnostics.length).toBeGreaterThan(0);
  });

  it('gives the same result when the worker finishes long after this thread', async () => {
    const slow = script(
      `await new Promise((resolve) => setTimeout(resolve, 500));\nawait import(${JSON.stringify(pathToFileURL(WORKER).href)});\n`,
    );
    const { built, fallbacks } = await onTwoThreads(slow);
    expect(fallbacks).toEqual([]);
    expect(written(built)).toEqual(written(alone));
  });

  it('builds the same with a worker started before the run, which it takes once', async () => {
    // Started ahead, as a plan does before compiling: its code loads while the compile runs.
    const spare = spareTargetWorker(LARGE, WORKER)!;
    const { built, fallbacks } = await onTwoThreads(script('throw new Error("the spare was not used");\n'), TARGET_NAMES, spare);
    expect(fallbacks).toEqual([]);
    expect(written(built)).toEqual(written(alone));
    expect(spare.take()).toBeUndefined();
    spare.dispose();
  });

  it('starts no worker ahead for a repo too small for a build to use one', () => {
    const configured = process.env.MODELGATE_THREADS;
    delete process.env.MODELGATE_THREADS;
    try {
      expect(spareTargetWorker(SMALL, WORKER)).toBeUndefined();
    } finally {
      if (configured !== undefined) process.env.MODELGATE_THREADS = configured;
    }
  });

  it('builds the same when the worker started ahead failed to start', async () => {
    const spare = spareTargetWorker(LARGE, script(`throw new Error('this spare cannot start');\n`))!;
    // Whether it is still exiting when taken (its run falls back to this thread) or already gone (the run starts its own).
    const { built } = await onTwoThreads(WORKER, TARGET_NAMES, spare);
    expect(written(built)).toEqual(written(alone));
    spare.dispose();
  });

  it("uses the worker's outputs, in target order, and k8s mounts those same files", async () => {
    const fake = script(`import { parentPort } from 'node:worker_threads';
const input = await new Promise((resolve) => parentPort.once('message', resolve));
for (const target of input.build) {
  parentPort.postMessage({ target, output: { files: { 'envoy.yaml': '# built by the worker for ' + target + '\\n' }, findings: [] } });
}`);
    const { built, fallbacks } = await onTwoThreads(fake);
    expect(fallbacks).toEqual([]);
    const fromWorker = Object.entries(built.files).filter(([, text]) => text.startsWith('# built by the worker'));
    expect(fromWorker).toEqual([
      ['envoy/envoy.yaml', '# built by the worker for envoy\n'],
      ['envoy-ai-gateway/envoy.yaml', '# built by the worker for envoy-ai-gateway\n'],
    ]);
    const mounted = Object.entries(built.files).filter(([f]) => f.startsWith('k8s/envoy-configmap-config-'));
    expect(mounted.map(([, text]) => text).join('')).toContain('built by the worker for envoy');
    // The node and k8s files are this thread's, in the same order as when one thread builds everything.
    const here = (a: Artifacts) => Object.entries(a.files).filter(([f]) => /^(node|k8s)\//.test(f) && !f.startsWith('k8s/envoy-'));
    expect(here(built)).toEqual(here(alone));
    expect([...new Set(Object.keys(built.files).map((f) => f.split('/')[0]))]).toEqual(TARGET_NAMES);
  });

  it("builds the worker's target on this thread, and says why, when the worker fails", async () => {
    const broken = script(`throw new Error('this worker cannot start');\n`);
    const { built, fallbacks } = await onTwoThreads(broken);
    expect(fallbacks.join('\n')).toMatch(/this worker cannot start/);
    expect(written(built)).toEqual(written(alone));
    const failing = script(
      `import { parentPort } from 'node:worker_threads';\nparentPort.once('message', (input) => parentPort.postMessage({ target: input.build[0], error: 'no luck' }));\n`,
    );
    // The real worker, but every followup it sends back is a failure.
    const noParts = script(`import { parentPort } from 'node:worker_threads';
const post = parentPort.postMessage.bind(parentPort);
parentPort.postMessage = (reply) => post('key' in reply ? { key: reply.key, error: 'no parts' } : reply);
await import(${JSON.stringify(pathToFileURL(WORKER).href)});
`);
    // k8s's envoy ConfigMaps made here from the worker's envoy output when the worker fails on them.
    const partsHere = await onTwoThreads(noParts, ['envoy', 'k8s']);
    expect(partsHere.fallbacks).toEqual([]);
    expect(written(partsHere.built)).toEqual(written(await buildArtifacts(env, ['envoy', 'k8s'], { threads: 1 })));
    const second = await onTwoThreads(failing, ['envoy-ai-gateway', 'node']);
    expect(second.fallbacks).toEqual(['envoy-ai-gateway: no luck']);
    expect(second.built.files).toEqual((await buildArtifacts(env, ['envoy-ai-gateway', 'node'], { threads: 1 })).files);
  });
});
