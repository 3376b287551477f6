// `toEqual` for large values (a repo's resources with every position, a cache pack's bytes): vitest's deep equality
// takes seconds over them where Node's strict deep equality, which implies it, takes milliseconds. `toEqual` is
// still asked when the two differ, for its message and diff.
import { isDeepStrictEqual } from 'node:util';
import { expect } from 'vitest';

export function expectEqual(actual: unknown, expected: unknown, message?: string): void {
  if (!isDeepStrictEqual(actual, expected)) expect(actual, message).toEqual(expected);
}
