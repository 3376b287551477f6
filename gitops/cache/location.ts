// Where a command keeps its cache: `--cache-dir`, else $MODELGATE_CACHE_DIR, else `.modelgate/cache` in the
// config root (inside the project, where GitLab CI's `cache: paths:` can keep it). The folder ignores itself
// for git and tags itself for backup tools. A cache must never come from the repository itself: a folder
// holding committed files, or a default folder that is a link, is not used.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openStore, type CacheStore } from './store.ts';

export const DEFAULT_CACHE_DIR = '.modelgate/cache';
export const CACHE_DIR_VARIABLE = 'MODELGATE_CACHE_DIR';

export interface CacheChoice {
  /** False with `--no-cache`. */
  enabled: boolean;
  /** `--cache-dir`. */
  dir?: string;
}

const CACHEDIR_TAG = 'Signature: 8a477f597d28d172789f06886806bc55\n# modelgate cache: safe to delete; see https://bford.info/cachedir/\n';

/**
 * The store for a config root, or undefined when caching is off or the folder cannot be used; then `warn`
 * says why, and the command runs without a cache.
 */
export function openCache(
  root: string,
  choice: CacheChoice,
  warn: (message: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): CacheStore | undefined {
  if (!choice.enabled) return undefined;
  const explicit = choice.dir ?? (env[CACHE_DIR_VARIABLE] || undefined);
  const dir = resolve(explicit ?? join(root, DEFAULT_CACHE_DIR));
  const refuse = (reason: string) => void warn(`not using the cache in ${dir}: ${reason}; running without it.`);
  try {
    if (explicit) mkdirSync(dir, { recursive: true, mode: 0o700 });
    else if (!makeRealDirs(resolve(root), DEFAULT_CACHE_DIR.split('/'))) return refuse('it is a symbolic link');
    if (!statSync(dir).isDirectory()) return refuse('it is not a folder');
    if (holdsCommittedFiles(dir)) return refuse('it holds files committed to git, and a cache must not come from the repository');
    for (const [name, text] of [
      ['.gitignore', '*\n'],
      ['CACHEDIR.TAG', CACHEDIR_TAG],
    ]) {
      if (!existsSync(join(dir, name))) writeFileSync(join(dir, name), text, { mode: 0o600 });
    }
  } catch (error) {
    return refuse((error as NodeJS.ErrnoException).code ?? String(error));
  }
  return openStore(dir);
}

/** Creates `parts` under `base` one by one; false when one of them is a link (it could lead anywhere). */
function makeRealDirs(base: string, parts: readonly string[]): boolean {
  let dir = base;
  for (const part of parts) {
    dir = join(dir, part);
    const stat = lstatSync(dir, { throwIfNoEntry: false });
    if (stat?.isSymbolicLink()) return false;
    if (!stat) mkdirSync(dir, { mode: 0o700 });
  }
  return true;
}

/** Whether git tracks anything under `dir` (false outside a work tree, or without git). */
function holdsCommittedFiles(dir: string): boolean {
  const git = spawnSync('git', ['-C', dir, 'ls-files', '-z', '--', '.'], { encoding: 'utf8', timeout: 10_000 });
  return git.status === 0 && git.stdout.length > 0;
}
