import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { guardLeadingRun } from './leading-run.ts';

describe('guardLeadingRun', () => {
  it('guards patterns that start with one atom repeated without bound', () => {
    expect(guardLeadingRun('[a-z]+@x\\.com')).toBe('(?<![a-z])[a-z]+@x\\.com');
    expect(guardLeadingRun('\\S*=secret')).toBe('(?<!\\S)\\S*=secret');
    expect(guardLeadingRun('\\x41+?b')).toBe('(?<!\\x41)\\x41+?b');
    expect(guardLeadingRun('[\\]a]+b')).toBe('(?<![\\]a])[\\]a]+b');
    expect(guardLeadingRun('a{2,}b')).toBe('(?<!a)a{2,}b');
  });

  it('leaves other patterns as they are', () => {
    for (const src of ['a{2,5}b', '(a)+b', 'EMP-\\d+', '^\\w+', 'x']) expect(guardLeadingRun(src)).toBe(src);
  });

  it('finds exactly what the unguarded pattern finds', () => {
    const patterns = ['[a-z]+@x', 'a+b', '\\w+\\.', '.+@', '[ab]*b', 'a+|b', 'b+?a', '\\d+x?', 'a{2,}x'];
    fc.assert(
      fc.property(
        fc.constantFrom(...patterns),
        fc.string({ unit: fc.constantFrom('a', 'b', 'x', '@', '.', '1', ' ', '\n'), maxLength: 40 }),
        (p, text) => {
          expect(text.replace(new RegExp(guardLeadingRun(p), 'g'), '<$&>')).toBe(text.replace(new RegExp(p, 'g'), '<$&>'));
        },
      ),
      { numRuns: 2000, seed: 11 },
    );
  });

  it('makes a leading run linear on a long hostile input', () => {
    const text = 'a'.repeat(200_000);
    const started = performance.now();
    text.replace(new RegExp(guardLeadingRun('[a-z]+@x\\.com'), 'g'), '');
    expect(performance.now() - started).toBeLessThan(200);
  });
});
