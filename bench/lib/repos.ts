// Generated config repos, cached under the OS temp folder: a 50,000-resource repo takes half a minute to
// write, and it is the same bytes every time. The cache key holds the generator's source hash, so a change
// to the generator makes new repos.
import { createHash } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateRepo, writeRepo, type Layout } from '../generate.ts';

const CACHE = join(tmpdir(), 'modelgate-bench', 'repos');
const COMPLETE = '.complete';

function generatorHash(): string {
  const source = readFileSync(new URL('../generate.ts', import.meta.url));
  return createHash('sha256').update(source).digest('hex').slice(0, 12);
}

function repoDir(resources: number, layout: Layout, seed: number): { name: string; dir: string } {
  const name = `${resources}-${layout}-seed${seed}`;
  return { name, dir: join(CACHE, `${name}-${generatorHash()}`) };
}

export function isCached(resources: number, layout: Layout, seed: number): boolean {
  return existsSync(join(repoDir(resources, layout, seed).dir, COMPLETE));
}

/** Path of the generated repo, writing it first when it is not cached yet. */
export function ensureRepo(resources: number, layout: Layout, seed: number): string {
  const { name, dir } = repoDir(resources, layout, seed);
  if (isCached(resources, layout, seed)) return dir;
  // Repos of an older generator are dead weight (up to 200 MB each).
  for (const old of existsSync(CACHE) ? readdirSync(CACHE) : []) {
    if (old.startsWith(`${name}-`)) rmSync(join(CACHE, old), { recursive: true, force: true });
  }
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  writeRepo(partial, generateRepo({ resources, seed, layout }));
  writeFileSync(join(partial, COMPLETE), '');
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return dir;
}

/**
 * A copy of `repo` with one route's retry attempts changed: the "one file changed" head of the plan benchmark.
 * Hard links keep the copy cheap; the changed file is a new file, so the original stays untouched.
 */
export function ensureChangedCopy(repo: string): { dir: string; changedFile: string } {
  const dir = `${repo}-changed`;
  const changedFile = join('routes', firstFile(join(repo, 'routes')));
  if (!existsSync(join(dir, COMPLETE))) {
    rmSync(dir, { recursive: true, force: true });
    linkTree(repo, dir);
    const target = join(dir, changedFile);
    const text = readFileSync(target, 'utf8');
    const changed = text.replace(/^ {4}attempts: (\d+)$/m, (_, n: string) => `    attempts: ${Number(n) + 1}`);
    if (changed === text) throw new Error(`bench: no retry attempts to change in ${changedFile}`);
    unlinkSync(target);
    writeFileSync(target, changed);
    writeFileSync(join(dir, COMPLETE), '');
  }
  return { dir, changedFile };
}

function firstFile(dir: string, prefix = ''): string {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  const first = entries[0];
  if (!first) throw new Error(`bench: ${dir} is empty`);
  const rel = join(prefix, first.name);
  return first.isDirectory() ? firstFile(join(dir, first.name), rel) : rel;
}

function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.name === COMPLETE) continue;
    const a = join(from, entry.name);
    const b = join(to, entry.name);
    if (entry.isDirectory()) linkTree(a, b);
    else linkSync(a, b);
  }
}
