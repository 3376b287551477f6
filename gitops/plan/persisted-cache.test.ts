// Plans through a persisted cache (parse results, the incremental engine's check states, base sides) against plans
// with no cache, over random edit sequences on a generated repo: the text and JSON renders are byte-identical after
// every edit. Now and then the head becomes the base (a merge), so that a base is compiled from the states too.
// `FUZZ_RUNS=2000 npx vitest run gitops/plan/persisted-cache.test.ts` runs a longer sequence.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateRepo, writeRepo } from '../../bench/generate.ts';
import { BUILTIN_RULES } from '../../policies/index.ts';
import { editKinds, random, randomEdit } from '../../test/support/random-edits.ts';
import { openStore } from '../cache/store.ts';
import { computePlan } from './compute.ts';
import { renderPlanJson } from './render-json.ts';
import { renderPlanText } from './render-text.ts';

const TODAY = '2026-01-01';
const EDITS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = Number(process.env.PLAN_FUZZ_SEED ?? 20261207);
const ENVS = ['prod', 'staging', 'all'];

const dir = mkdtempSync(join(tmpdir(), 'modelgate-plan-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let reporting: string[] = [];
const BUILTIN_IDS = new Set(BUILTIN_RULES.map((r) => r.id));
const EDIT_KINDS = editKinds(() => reporting);

async function rendered(head: string, base: string, env: string, cacheDir?: string): Promise<string> {
  const plan = await computePlan({ root: head, base, env, today: TODAY, cache: cacheDir ? openStore(cacheDir) : undefined });
  reporting = [...new Set(plan.environments.flatMap((e) => e.errors.map((d) => d.ruleId)).filter((id) => BUILTIN_IDS.has(id)))].sort();
  return `${renderPlanText(plan)}\n=====\n${renderPlanJson(plan)}`;
}

function entries(cacheDir: string, kind: string): string[] {
  const root = join(cacheDir, kind);
  return readdirSync(root).flatMap((shard) => readdirSync(join(root, shard)).map((name) => join(root, shard, name)));
}

describe('plans through a persisted cache', () => {
  it(`are byte-identical to plans with no cache after each of ${EDITS} random edits`, async () => {
    const original = generateRepo({ resources: 40, seed: 5, layout: 'multi' });
    const [base, head, cache] = ['base', 'head', 'cache'].map((name) => join(dir, name)) as [string, string, string];
    writeRepo(base, original);
    writeRepo(head, original);
    mkdirSync(cache);
    const pick = random(SEED);
    const texts = new Map(original.map((f) => [f.path, f.text]));
    const originals = new Map(texts);
    for (let i = 0; i < EDITS; i++) {
      const { kind, path, text } = randomEdit(pick, EDIT_KINDS, texts, originals);
      texts.set(path, text);
      writeFileSync(join(head, path), text);
      const env = ENVS[pick(ENVS.length)]!;
      const where = `edit ${i} (${kind} in ${path}, --env ${env}, seed ${SEED})`;
      expect(await rendered(head, base, env, cache), where).toBe(await rendered(head, base, env));
      if (pick(8) === 0) {
        // A merge: the head becomes the base.
        rmSync(base, { recursive: true });
        cpSync(head, base, { recursive: true });
      }
    }
    // The engine's states were kept (and so were read: every compile of one environment starts from one).
    expect(entries(cache, 'checks').length).toBeGreaterThan(0);
  }, 300_000);

  it('computes again what a damaged or foreign check state would have given, with the same plan', async () => {
    const original = generateRepo({ resources: 40, seed: 5, layout: 'multi' });
    const [base, head, cache] = ['base2', 'head2', 'cache2'].map((name) => join(dir, name)) as [string, string, string];
    writeRepo(base, original);
    writeRepo(head, original);
    mkdirSync(cache);
    const route = original.find((f) => f.path.startsWith('routes/'))!;
    writeFileSync(join(head, route.path), route.text.replace(/^( {2}name: )(\S+)$/m, '$1$2-renamed'));
    const expected = await rendered(head, base, 'prod');
    expect(await rendered(head, base, 'prod', cache)).toBe(expected);
    const states = entries(cache, 'checks');
    expect(states.length).toBeGreaterThan(0);
    // Damaged on disk: the store's checksum no longer matches.
    for (const file of states) {
      const bytes = readFileSync(file);
      bytes[bytes.length - 3] ^= 0xff;
      writeFileSync(file, bytes);
    }
    expect(await rendered(head, base, 'prod', cache)).toBe(expected);
    // Well-formed entries that are not states (another format under the same key): not used either.
    const store = openStore(cache);
    for (const file of entries(cache, 'checks')) store.put('checks', file.slice(dirname(file).length + 1), Buffer.from('not a state'));
    expect(await rendered(head, base, 'prod', cache)).toBe(expected);
  }, 60_000);
});
