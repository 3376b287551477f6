// Where the plan's base comes from: a directory (a config repo or a previous build), or a git revision of
// the repo the config lives in, exported to a temporary directory. The user's work tree, index and refs are
// never touched: `git archive` only reads objects.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError } from '../../kernel/errors.ts';

export interface BaseSource {
  /** `config`: a config repo to compile. `build`: the output of `modelgate build` (`<target>/...`). */
  kind: 'config' | 'build';
  /** The directory; a git revision is exported on first use, which a cached plan may never need. */
  readonly root: string;
  /** For a git revision: the id of the config directory's tree, which names all of its content. */
  tree?: string;
  /** How plans name the base: the ref or directory as given, with the commit for a ref. */
  label: string;
  /** Removes what opening the base created (the exported tree of a git revision). */
  dispose(): void;
}

export function openBase(base: string, headRoot: string, targetNames: readonly string[]): BaseSource {
  if (existsSync(base) && statSync(base).isDirectory()) {
    const root = resolve(base);
    return { kind: isBuildDirectory(root, targetNames) ? 'build' : 'config', root, label: base, dispose: () => {} };
  }
  return exportRevision(base, headRoot);
}

/** A build directory holds target folders (`node/`, `k8s/`, ...) and no config YAML beside them. */
function isBuildDirectory(root: string, targetNames: readonly string[]): boolean {
  const entries = readdirSync(root, { withFileTypes: true }).filter((e) => !e.name.startsWith('.'));
  const hasTarget = entries.some((e) => e.isDirectory() && targetNames.includes(e.name));
  return hasTarget && entries.every((e) => (e.isDirectory() ? targetNames.includes(e.name) : !/\.ya?ml$/i.test(e.name)));
}

function git(cwd: string, args: string[], input?: Buffer): { ok: boolean; stdout: Buffer; stderr: string } {
  const r = spawnSync('git', args, { cwd, input, maxBuffer: 1 << 30 });
  if (r.error) throw new UsageError(`cannot run git (${r.error.message}); give --base a directory instead.`);
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr.toString().trim() };
}

function exportRevision(ref: string, headRoot: string): BaseSource {
  const top = git(headRoot, ['rev-parse', '--show-toplevel']);
  if (!top.ok) throw new UsageError(`--base ${ref}: no such directory, and ${headRoot} is not inside a git repository.`);
  const repo = top.stdout.toString().trim();
  const prefix = git(headRoot, ['rev-parse', '--show-prefix']).stdout.toString().trim();
  const commit = git(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  if (!commit.ok) {
    throw new UsageError(
      `--base ${ref}: no such directory, and no commit "${ref}" in this repository. ` +
        'In CI the base is often missing from a shallow clone: fetch it first (git fetch origin <branch>) or set GIT_DEPTH: 0.',
    );
  }
  const sha = commit.stdout.toString().trim();
  // Without the config directory at that commit (the repo was laid out later), the base is empty.
  const tree = git(repo, ['rev-parse', '--verify', '--quiet', `${sha}:${prefix}`]);
  let dir: string | undefined;
  return {
    kind: 'config',
    get root() {
      if (dir === undefined) {
        dir = mkdtempSync(join(tmpdir(), 'modelgate-base-'));
        exportTree(repo, sha, prefix, tree.ok, dir, ref);
      }
      return join(dir, prefix);
    },
    tree: tree.ok ? tree.stdout.toString().trim() : 'none',
    label: `${ref} (${sha.slice(0, 8)})`,
    dispose() {
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes the config directory `prefix` of commit `sha` (or an empty one when it has none) under `dir`. */
function exportTree(repo: string, sha: string, prefix: string, exists: boolean, dir: string, ref: string): void {
  if (exists) {
    const tar = git(repo, ['archive', '--format=tar', sha, ...(prefix ? ['--', prefix] : [])]);
    if (!tar.ok) throw new UsageError(`--base ${ref}: git archive failed: ${tar.stderr}`);
    const untar = spawnSync('tar', ['-x', '-C', dir], { input: tar.stdout });
    if (untar.status !== 0) throw new UsageError(`--base ${ref}: could not unpack the base: ${untar.stderr?.toString().trim()}`);
  }
  mkdirSync(join(dir, prefix), { recursive: true });
}
