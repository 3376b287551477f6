import { describe, expect, it } from 'vitest';
import { expectEqual } from './expect-equal.ts';

describe('expectEqual', () => {
  it('passes values that are deeply equal, Buffers included', () => {
    expectEqual({ a: [1, { b: 'x' }], c: Buffer.from('bytes') }, { a: [1, { b: 'x' }], c: Buffer.from('bytes') });
  });

  it('fails as toEqual does, with its message, when the values differ', () => {
    expect(() => expectEqual({ a: [1, 2] }, { a: [1, 3] }, 'the edit')).toThrow(/the edit.*expected .* to deeply equal/s);
    expect(() => expectEqual(Buffer.from('abc'), Buffer.from('abd'))).toThrow(/to deeply equal/);
  });

  it('passes what toEqual passes though strict equality does not (an undefined property)', () => {
    expectEqual({ a: 1, b: undefined }, { a: 1 });
  });
});
