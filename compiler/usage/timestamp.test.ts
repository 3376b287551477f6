import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalTimestamp } from './timestamp.ts';

/** What the fast path must agree with: Date.parse, normalised to UTC. */
const reference = (s: string): string | undefined => {
  const ms = Date.parse(s);
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(s) && !Number.isNaN(ms) ? new Date(ms).toISOString() : undefined;
};

describe('canonicalTimestamp', () => {
  const dates = fc.date({ min: new Date('1970-01-01'), max: new Date('2999-12-31'), noInvalidDate: true });

  it('keeps canonical timestamps as they are', () => {
    fc.assert(fc.property(dates, (d) => expect(canonicalTimestamp(d.toISOString())).toBe(d.toISOString())));
  });

  it('agrees with Date.parse on canonical-looking strings with one character changed', () => {
    fc.assert(
      fc.property(dates, fc.nat(23), fc.constantFrom(...'0123456789-:.TZ x'), (d, at, ch) => {
        const s = d.toISOString();
        const mutated = `${s.slice(0, at)}${ch}${s.slice(at + 1)}`;
        expect(canonicalTimestamp(mutated)).toBe(reference(mutated));
      }),
      { numRuns: 2000 },
    );
  });

  it('normalises other ISO forms to UTC and rejects what is not ISO 8601', () => {
    expect(canonicalTimestamp('2026-01-05T10:00:00+02:00')).toBe('2026-01-05T08:00:00.000Z');
    expect(canonicalTimestamp('2026-01-05T10:00Z')).toBe('2026-01-05T10:00:00.000Z');
    expect(canonicalTimestamp('2024-02-29T00:00:00.000Z')).toBe('2024-02-29T00:00:00.000Z');
    expect(canonicalTimestamp('2026-02-29T00:00:00.000Z')).toBeUndefined();
    expect(canonicalTimestamp('Jan 5 2026')).toBeUndefined();
    expect(canonicalTimestamp(1767225600000)).toBeUndefined();
  });
});
