// Builds through the targets' piece cache and the places of their findings, kept on disk between builds as `plan`
// keeps them, against builds from scratch, over random edit sequences on a generated repo: every file byte for byte,
// and every finding with its place, after every edit, on one thread and with the envoy targets on a worker (which reads
// the stored pieces and sends its own back).
// `FUZZ_RUNS=500 npx vitest run gitops/cache/piece-cache.test.ts` runs a longer sequence.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateRepo, writeRepo } from '../../bench/generate.ts';
import { BUNDLE_DIR } from '../../kernel/prebuilt.mjs';
import { buildArtifacts, type Artifacts } from '../../pipeline/build-artifacts.ts';
import { compileProject } from '../../pipeline/compile.ts';
import { PACKAGE_ROOT } from '../../schema/package-root.ts';
import { editKinds, random, randomEdit } from '../../test/support/random-edits.ts';
import { TARGET_NAMES } from '../../targets/registry.ts';
import { checkStates } from './check-states.ts';
import { parseCache } from './parse-cache.ts';
import { storedPieces } from './piece-cache.ts';
import { storedPlaces } from './place-cache.ts';
import { openStore } from './store.ts';

const EDITS = Number(process.env.FUZZ_RUNS ?? 30);
const SEED = Number(process.env.PIECE_FUZZ_SEED ?? 20261207);
// The bundled CLI carries the worker (the suite's global setup builds it).
const WORKER = join(PACKAGE_ROOT, BUNDLE_DIR, 'build-worker.mjs');

const dir = mkdtempSync(join(tmpdir(), 'modelgate-piece-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Everything a caller writes or reports, in order. */
const written = (a: Artifacts) => ({ files: Object.entries(a.files), diagnostics: a.diagnostics });

describe('builds through the piece cache and kept places', () => {
  it(`write the same bytes and findings as builds from scratch after each of ${EDITS} random edits`, async () => {
    // With prompts (each one's schema verdict is a piece), AI Gateway documents and the k8s target's gzipped bundle.
    const original = generateRepo({ resources: 300, seed: 3, layout: 'multi' });
    const [repo, cache] = [join(dir, 'repo'), join(dir, 'cache')];
    writeRepo(repo, original);
    mkdirSync(cache);
    const pick = random(SEED);
    const texts = new Map(original.map((f) => [f.path, f.text]));
    const originals = new Map(texts);
    let reporting: string[] = [];
    const kinds = editKinds(() => reporting);
    let reused = 0;
    let taken = 0;
    let moved = 0;
    let before = new Map<string, string>();
    // The compile is the same for both builds and not what is checked here: each edit parses only the file it
    // changed (as `plan` does), not all 300 again (parse-cache.test.ts checks that this loads the same resources).
    const parsed = parseCache();
    for (let i = 0; i <= EDITS; i++) {
      const store = openStore(cache);
      // Kept check states key the resources by content, as a plan's compile does: the places of findings are kept by it.
      const env = compileProject(repo, {
        env: pick(2) ? 'prod' : 'staging',
        parseCache: parsed,
        checkStates: checkStates(store),
      }).environments[0];
      reporting = [...new Set(env?.diagnostics.map((d) => d.ruleId) ?? [])].sort();
      if (env?.ir) {
        const threads = 1 + pick(2);
        const stored = storedPieces(store);
        const located = storedPlaces(store);
        const cached = await buildArtifacts(env, TARGET_NAMES, {
          threads,
          workerFile: WORKER,
          pieces: stored.pieces,
          places: located.places,
        });
        stored.save();
        const { used, added } = located.places.entries();
        located.save();
        const where = `edit ${i} (--env ${env.environment.name}, ${threads} threads, seed ${SEED})`;
        const scratch = await buildArtifacts(env, TARGET_NAMES, { threads: 1 });
        expect(written(cached), where).toEqual(written(scratch));
        reused += stored.pieces.read.size;
        taken += used.size - added.size;
        // Findings that moved since the build before (lines deleted or duplicated above them): a place kept by anything
        // but the text it was located in would fail the comparison above.
        const now = new Map(
          scratch.diagnostics.map((d) => [`${d.ruleId}\n${d.resource}\n${d.message}`, `${d.file}:${d.line}:${d.column}`]),
        );
        moved += [...now].filter(([key, at]) => before.has(key) && before.get(key) !== at).length;
        before = now;
      }
      const { path, text } = randomEdit(pick, kinds, texts, originals);
      texts.set(path, text);
      writeFileSync(join(repo, path), text);
    }
    // The pieces and places were read back, not only written: a build after an edit renders and locates few again.
    expect(reused).toBeGreaterThan(0);
    expect(taken).toBeGreaterThan(0);
    expect(moved).toBeGreaterThan(0);
  }, 600_000);
});
