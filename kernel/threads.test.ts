import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { threadCount } from './threads.ts';

describe('threadCount', () => {
  afterEach(() => void vi.unstubAllEnvs());

  it('keeps small work on one thread and gives large work every core', () => {
    vi.stubEnv('MODELGATE_THREADS', '');
    expect(threadCount(99, 100)).toBe(1);
    expect(threadCount(100, 100)).toBe(availableParallelism());
  });

  it('takes MODELGATE_THREADS as set, whatever the size, and ignores a value that is not a positive integer', () => {
    vi.stubEnv('MODELGATE_THREADS', '1');
    expect(threadCount(1_000_000, 100)).toBe(1);
    vi.stubEnv('MODELGATE_THREADS', '3');
    expect(threadCount(5, 100)).toBe(3);
    for (const bad of ['0', '-2', '1.5', 'two']) {
      vi.stubEnv('MODELGATE_THREADS', bad);
      expect(threadCount(5, 100)).toBe(1);
    }
  });
});
