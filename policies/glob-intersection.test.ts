import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileModelGlob } from '../kernel/model-glob.ts';
import { commonMatch } from './glob-intersection.ts';

/** Every string over a, b, x up to `max` characters, shortest first. */
function* strings(max: number): Generator<string> {
  let layer = [''];
  for (let n = 0; n <= max; n++) {
    yield* layer;
    layer = layer.flatMap((s) => ['a', 'b', 'x'].map((c) => s + c));
  }
}

describe('commonMatch', () => {
  it('finds the shortest id two alias patterns share', () => {
    expect(commonMatch('claude-sonnet-*', 'claude-*-4-5*')).toBe('claude-sonnet-4-5');
    expect(commonMatch('gpt-*', '*-codex')).toBe('gpt-codex');
    expect(commonMatch('gpt-4?', 'gpt-4*')).toBe('gpt-4x');
    expect(commonMatch('*', 'o3')).toBe('o3');
  });

  it('says none when the literal parts cannot agree', () => {
    expect(commonMatch('claude-sonnet-*', 'claude-opus-*')).toBeUndefined();
    expect(commonMatch('gpt-4?', 'gpt-4??')).toBeUndefined();
    expect(commonMatch('*-mini', '*-nano')).toBeUndefined();
    expect(commonMatch('a*b', 'b*')).toBeUndefined();
  });

  // A shortest shared id never consumes a character with both patterns at a `*`, so it is at most |a| + |b| long.
  it('agrees with brute force: a shared id exists exactly when it gives one, and none is shorter', () => {
    const pattern = fc.array(fc.constantFrom('a', 'b', '*', '?'), { maxLength: 3 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(pattern, pattern, (a, b) => {
        const [ma, mb] = [compileModelGlob(a), compileModelGlob(b)];
        let shortest: string | undefined;
        for (const s of strings(6))
          if (ma(s) && mb(s)) {
            shortest = s;
            break;
          }
        const found = commonMatch(a, b);
        if (shortest === undefined) return found === undefined;
        return found !== undefined && ma(found) && mb(found) && found.length === shortest.length;
      }),
      { numRuns: 1000 },
    );
  });

  it('stays quick on long patterns', () => {
    const a = `${'a?'.repeat(100)}*`;
    const b = `*${'?a'.repeat(99)}b`;
    const started = performance.now();
    expect(commonMatch(a, b)).toBeDefined();
    expect(performance.now() - started).toBeLessThan(200);
  });
});
