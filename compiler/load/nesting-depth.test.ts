import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { discoverFiles } from './discover.ts';
import { excessiveNesting } from './nesting-depth.ts';

describe('excessiveNesting', () => {
  it('finds no excess in a real config, even at a low limit', () => {
    const root = fileURLToPath(new URL('../../fixtures/acme/', import.meta.url));
    for (const f of discoverFiles(root).files) expect(excessiveNesting(readFileSync(f.absolute, 'utf8'), 24), f.path).toBeUndefined();
  });

  it('points at the bracket or the indentation that crosses the limit', () => {
    expect(excessiveNesting(`a: ${'['.repeat(10)}${']'.repeat(10)}`, 4)).toBe(7);
    expect(excessiveNesting(`a:\n${'- '.repeat(10)}x`, 4)).toBe(7);
    expect(excessiveNesting(`a:\n${' '.repeat(9)}b: 1`, 8)).toBe(11);
    expect(excessiveNesting(`a:\n  b: [[1]]\n  c: [2]`, 8)).toBeUndefined();
  });

  it('does not count brackets in quoted scalars or comments, and treats an apostrophe in prose as text', () => {
    expect(excessiveNesting(`a: "[[[[[[" # {{{{{{\nb: '[[[[''[['\nc: don't [x]`, 3)).toBeUndefined();
    expect(excessiveNesting(`a: "\\" [[[[[["`, 3)).toBeUndefined();
    expect(excessiveNesting(`c: don't [[[[`, 3)).toBe(12);
  });
});
