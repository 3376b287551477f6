import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalTimestamp } from './timestamp.ts';

/** A canonical timestamp is one Date reads and writes back unchanged. */
const roundTrips = (s: string): boolean => !Number.isNaN(Date.parse(s)) && new Date(Date.parse(s)).toISOString() === s;

describe('canonicalTimestamp', () => {
  const dates = fc.date({ min: new Date('1970-01-01'), max: new Date('2999-12-31'), noInvalidDate: true });

  it('keeps canonical timestamps as they are', () => {
    fc.assert(
      fc.property(dates, (d) => {
        expect(canonicalTimestamp(d.toISOString())).toBe(d.toISOString());
      }),
    );
  });

  it('accepts a canonical-looking string with one character changed only if it is still a real instant', () => {
    fc.assert(
      fc.property(dates, fc.nat(23), fc.constantFrom(...'0123456789-:.TZ x'), (d, at, ch) => {
        const s = d.toISOString();
        const mutated = `${s.slice(0, at)}${ch}${s.slice(at + 1)}`;
        expect(canonicalTimestamp(mutated)).toBe(roundTrips(mutated) ? mutated : undefined);
      }),
      { numRuns: 2000 },
    );
  });

  it('normalises other RFC 3339 forms to UTC and rejects the rest, impossible days included', () => {
    expect(canonicalTimestamp('2026-01-05T10:00:00+02:00')).toBe('2026-01-05T08:00:00.000Z');
    expect(canonicalTimestamp('2026-01-05T10:00Z')).toBe('2026-01-05T10:00:00.000Z');
    expect(canonicalTimestamp('2024-02-29T00:00:00.000Z')).toBe('2024-02-29T00:00:00.000Z');
    expect(canonicalTimestamp('2026-02-29T00:00:00.000Z')).toBeUndefined();
    expect(canonicalTimestamp('2026-02-29T10:00:00+01:00')).toBeUndefined();
    expect(canonicalTimestamp('2026-01-05T10:00:00')).toBeUndefined(); // no zone
    expect(canonicalTimestamp('Jan 5 2026')).toBeUndefined();
    expect(canonicalTimestamp(1767225600000)).toBeUndefined();
  });
});
