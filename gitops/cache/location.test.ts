import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCache } from './location.ts';

const scratch = () => mkdtempSync(join(tmpdir(), 'mg-cache-dir-'));

function open(root: string, choice: { enabled: boolean; dir?: string }, env: NodeJS.ProcessEnv = {}) {
  const warnings: string[] = [];
  const store = openCache(root, choice, (m) => warnings.push(m), env);
  return { dir: store?.dir, warnings };
}

describe('openCache', () => {
  it('keeps the cache in .modelgate/cache of the config root, ignored by git and tagged for backup tools', () => {
    const root = scratch();
    expect(open(root, { enabled: true })).toEqual({ dir: join(root, '.modelgate/cache'), warnings: [] });
    expect(readFileSync(join(root, '.modelgate/cache/.gitignore'), 'utf8')).toBe('*\n');
    expect(readFileSync(join(root, '.modelgate/cache/CACHEDIR.TAG'), 'utf8')).toMatch(/^Signature: 8a477f597d28d172789f06886806bc55/);
  });

  it('takes --cache-dir over MODELGATE_CACHE_DIR over the default, and nothing with --no-cache', () => {
    const root = scratch();
    const [flag, variable] = [join(scratch(), 'a/b'), join(scratch(), 'c')];
    expect(open(root, { enabled: true, dir: flag }, { MODELGATE_CACHE_DIR: variable }).dir).toBe(flag);
    expect(open(root, { enabled: true }, { MODELGATE_CACHE_DIR: variable }).dir).toBe(variable);
    expect(open(root, { enabled: false, dir: flag })).toEqual({ dir: undefined, warnings: [] });
  });

  it('runs without a cache, saying why, when the default folder is a link', () => {
    const root = scratch();
    symlinkSync(scratch(), join(root, '.modelgate'));
    const { dir, warnings } = open(root, { enabled: true });
    expect(dir).toBeUndefined();
    expect(warnings).toEqual([`not using the cache in ${join(root, '.modelgate/cache')}: it is a symbolic link; running without it.`]);
  });

  it('never uses a cache that comes from the repository: committed files in it', () => {
    const root = scratch();
    const git = (...args: string[]) => execFileSync('git', ['-C', root, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args]);
    git('init', '-q');
    mkdirSync(join(root, '.modelgate/cache/side/ab'), { recursive: true });
    writeFileSync(join(root, '.modelgate/cache/side/ab/planted'), 'a forged entry');
    git('add', '-f', '.modelgate');
    git('commit', '-q', '-m', 'plant');
    const { dir, warnings } = open(root, { enabled: true });
    expect(dir).toBeUndefined();
    expect(warnings[0]).toMatch(/holds files committed to git/);
  });
});
