import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bySpecificity, compileModelGlob, isModelPattern, literalPrefix } from './model-glob.ts';

/** The dialect as a regular expression: the obvious definition the matcher must agree with. */
const reference = (pattern: string) =>
  new RegExp(
    `^${[...pattern].map((c) => (c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'))).join('')}$`,
  );

describe('model globs', () => {
  it('tells patterns from exact ids and finds the literal prefix', () => {
    expect(isModelPattern('claude-sonnet-4-5')).toBe(false);
    expect(isModelPattern('claude-sonnet-*')).toBe(true);
    expect(isModelPattern('gpt-4?')).toBe(true);
    expect(literalPrefix('claude-*-4-5*')).toBe('claude-');
    expect(literalPrefix('gpt-4?-*')).toBe('gpt-4');
    expect(literalPrefix('*-codex')).toBe('');
    expect(literalPrefix('exact')).toBe('exact');
  });

  it('matches `*` as any run, `?` as one character, everything else literally', () => {
    const sonnet = compileModelGlob('claude-sonnet-*');
    expect(sonnet('claude-sonnet-4-5-20250929')).toBe(true);
    expect(sonnet('claude-sonnet-')).toBe(true);
    expect(sonnet('claude-opus-4-1')).toBe(false);
    const family = compileModelGlob('claude-*-4-5*');
    expect(family('claude-haiku-4-5')).toBe(true);
    expect(family('claude-sonnet-4-5-20250929')).toBe(true);
    expect(family('claude-opus-4-1-20250805')).toBe(false);
    expect(compileModelGlob('gpt-4?')('gpt-4o')).toBe(true);
    expect(compileModelGlob('gpt-4?')('gpt-4o-mini')).toBe(false);
    expect(compileModelGlob('a.[b]')('a.[b]')).toBe(true);
    expect(compileModelGlob('a.[b]')('aX[b]')).toBe(false);
    expect(compileModelGlob('a*a')('a')).toBe(false);
    expect(compileModelGlob('*')('')).toBe(true);
    expect(compileModelGlob('Claude-*')('claude-x')).toBe(false);
  });

  it('agrees with the regular-expression definition on random patterns and ids', () => {
    const alphabet = fc.constantFrom('a', 'b', '-', '*', '?');
    const pattern = fc.array(alphabet, { maxLength: 8 }).map((cs) => cs.join(''));
    const id = fc.array(fc.constantFrom('a', 'b', '-', '*'), { maxLength: 10 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(pattern, id, (p, s) => compileModelGlob(p)(s) === reference(p).test(s)),
      { numRuns: 5000 },
    );
  });

  it('reads a hostile id at most (id length × pattern length) times, as a backtracking matcher would not', () => {
    // Counted, not timed: the id is a stand-in that counts the characters each call reads (`indexOf` may read all
    // from its start).
    const pattern = '*a*a?a?a?a?a?a?a?a?b*';
    const text = 'a'.repeat(20_000);
    let reads = 0;
    const id = {
      length: text.length,
      charCodeAt: (i: number) => (reads++, text.charCodeAt(i)),
      indexOf: (piece: string, from: number) => ((reads += text.length - from), text.indexOf(piece, from)),
    } as unknown as string;
    expect(compileModelGlob(pattern)(id)).toBe(false);
    expect(reads).toBeGreaterThan(text.length);
    expect(reads).toBeLessThanOrEqual(text.length * pattern.length);
  });

  it('orders patterns most specific first', () => {
    expect(['claude-*', 'claude-sonnet-*', '*', 'claude-sonnet-4-5*', 'claude-*-4-5*'].sort(bySpecificity)).toEqual([
      'claude-sonnet-4-5*',
      'claude-sonnet-*',
      'claude-*-4-5*',
      'claude-*',
      '*',
    ]);
  });
});
