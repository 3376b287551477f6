import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../compiler/load/load-project.ts';
import type { AnyResource, DocPath } from '../../kernel/resource.ts';
import { expectEqual } from '../../test/support/expect-equal.ts';
import { parseCache } from './parse-cache.ts';
import { openStore } from './store.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const INVALID = join(FIXTURES, 'invalid');
/** The realistic repo, and one repo per kind of mistake: YAML errors, refused keys, duplicates. */
const ROOTS = [
  join(FIXTURES, 'acme'),
  ...readdirSync(INVALID, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => join(INVALID, e.name)),
];

/** Every path into a value, the value's own included. */
function paths(value: unknown, path: DocPath = []): DocPath[] {
  const children = Array.isArray(value)
    ? value.map((v, i) => paths(v, [...path, i]))
    : value && typeof value === 'object'
      ? Object.entries(value).map(([k, v]) => paths(v, [...path, k]))
      : [];
  return [path, ...children.flat()];
}

/** What loading gives, positions included: every finding, and where every key and value of every resource is. */
function loaded(root: string, cache?: ReturnType<typeof parseCache>) {
  const project = loadProject(root, { parseCache: cache });
  const located = (r: AnyResource) => paths(r.value).map((p) => [p, r.locate(p, 'key'), r.locate(p, 'value'), r.locate([...p, 'missing'])]);
  return {
    diagnostics: project.diagnostics,
    resources: project.resources.map((r) => ({ id: r.id, file: r.file, value: r.value, located: located(r) })),
  };
}

/** A cache that counts what it had to parse. */
function counting(cache: ReturnType<typeof parseCache>) {
  const counted = { ...cache, parsed: 0 };
  counted.set = (file, result) => (counted.parsed++, cache.set(file, result));
  return counted;
}

describe('parseCache', () => {
  it('loads the same resources, findings and positions (file:line:col) with a cold, a warm and no cache', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mg-parse-cache-'));
    for (const root of ROOTS) {
      const uncached = loaded(root);
      const cold = counting(parseCache(openStore(dir)));
      expectEqual(loaded(root, cold), uncached, root);
      cold.save();
      const warm = counting(parseCache(openStore(dir)));
      expectEqual(loaded(root, warm), uncached, root);
      expect([cold.parsed > 0, warm.parsed]).toEqual([true, 0]);
    }
  });

  it('keeps the results of two config roots that share a cache', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mg-parse-cache-'));
    const [a, b] = [join(FIXTURES, 'acme'), join(INVALID, 'bad-enum')];
    for (const root of [a, b]) {
      const cold = parseCache(openStore(dir));
      loaded(root, cold);
      cold.save();
    }
    for (const root of [a, b]) {
      const warm = counting(parseCache(openStore(dir)));
      loaded(root, warm);
      expect(warm.parsed, root).toBe(0);
    }
  });

  it('parses again what a corrupted pack held, with the same result, and replaces the pack', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mg-parse-cache-'));
    const root = join(FIXTURES, 'acme');
    const first = parseCache(openStore(dir));
    const expected = loaded(root, first);
    first.save();
    const [shard] = readdirSync(join(dir, 'parse'));
    const [pack] = readdirSync(join(dir, 'parse', shard!));
    const path = join(dir, 'parse', shard!, pack!);
    const bytes = readFileSync(path);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(path, bytes);
    const again = counting(parseCache(openStore(dir)));
    expectEqual(loaded(root, again), expected);
    expect(again.parsed).toBeGreaterThan(0);
    again.save();
    const warm = counting(parseCache(openStore(dir)));
    expectEqual(loaded(root, warm), expected);
    expect(warm.parsed).toBe(0);
  });

  it('adds a pack of what a run parsed after a small edit, the others kept as they are, and rewrites a long chain as one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mg-parse-cache-'));
    const root = mkdtempSync(join(tmpdir(), 'mg-parse-root-'));
    cpSync(join(FIXTURES, 'acme'), root, { recursive: true });
    const packs = () =>
      readdirSync(join(dir, 'parse')).flatMap((shard) => readdirSync(join(dir, 'parse', shard)).map((name) => join(shard, name)));
    const run = () => {
      const cache = counting(parseCache(openStore(dir)));
      const result = loaded(root, cache);
      cache.save();
      return { result, parsed: cache.parsed };
    };
    run();
    const [first] = packs();
    const firstBytes = readFileSync(join(dir, 'parse', first!));
    const route = join(root, 'routes/summarize.yaml');
    const chain: number[] = [];
    for (let edit = 1; edit <= 8; edit++) {
      writeFileSync(route, `${readFileSync(route, 'utf8')}# edit ${edit}\n`);
      expect(run().parsed).toBe(1);
      chain.push(packs().length);
      if (edit < 8) expectEqual(readFileSync(join(dir, 'parse', first!)), firstBytes);
      const warm = run();
      expectEqual(warm.result, loaded(root));
      expect(warm.parsed).toBe(0);
    }
    // One pack more per edit, the first untouched, until the eighth edit rewrites the chain as one pack.
    expect(chain).toEqual([2, 3, 4, 5, 6, 7, 8, 1]);
    expect(packs()).not.toContain(first);
  });

  it('shares results between loads in one run without a store, each load with its own copy', () => {
    const root = join(FIXTURES, 'acme');
    const cache = counting(parseCache());
    const a = loadProject(root, { parseCache: cache });
    const parsed = cache.parsed;
    const b = loadProject(root, { parseCache: cache });
    expect(cache.parsed).toBe(parsed);
    expect(b.resources.map((r) => r.value)).toEqual(a.resources.map((r) => r.value));
    expect(b.resources[0]!.value).not.toBe(a.resources[0]!.value);
  });
});
