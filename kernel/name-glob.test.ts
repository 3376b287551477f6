import { describe, expect, it } from 'vitest';
import { anyGlob, globMatches, isGlob } from './name-glob.ts';

describe('name globs', () => {
  it('matches `*` over any run, `?` over one character, the rest literally', () => {
    expect(globMatches('list_*', 'list_issues')).toBe(true);
    expect(globMatches('list_*', 'list_')).toBe(true);
    expect(globMatches('list_*', 'get_list_x')).toBe(false);
    expect(globMatches('*_issue', 'delete_issue')).toBe(true);
    expect(globMatches('get_?ssue', 'get_issue')).toBe(true);
    expect(globMatches('repo://acme/*', 'repo://acme/a/b.md')).toBe(true);
    expect(globMatches('a.b', 'axb')).toBe(false);
    expect(globMatches('*a*b', 'xaxxb')).toBe(true);
    expect(globMatches('*a*b', 'xaxxbx')).toBe(false);
    expect(isGlob('get_issue')).toBe(false);
  });

  it('stays fast on patterns that make regex engines backtrack', () => {
    const started = performance.now();
    expect(globMatches('*a*a*a*a*a*a*a*b', 'a'.repeat(5000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('combines names and globs', () => {
    const granted = anyGlob(['get_issue', 'list_*']);
    expect(['get_issue', 'list_prs', 'delete_issue'].map(granted)).toEqual([true, true, false]);
    expect(anyGlob(['*'])('anything')).toBe(true);
    expect(anyGlob([])('x')).toBe(false);
  });
});
