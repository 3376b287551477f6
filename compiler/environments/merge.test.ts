import { describe, expect, it } from 'vitest';
import { sourcePath, strategicMerge } from './merge.ts';

describe('strategicMerge', () => {
  it('merges maps, deletes on null, replaces scalars and plain lists', () => {
    expect(strategicMerge({ a: 1, b: { c: 2, d: 3 }, l: [1, 2] }, { b: { c: 9, d: null }, l: [3] })).toEqual({ a: 1, b: { c: 9 }, l: [3] });
  });

  it('merges lists of targets by provider and model, appending new ones', () => {
    const base = { targets: [{ provider: 'openai', model: 'gpt', weight: 80 }, { provider: 'anthropic', model: 'claude', weight: 20 }] };
    const patch = { targets: [{ provider: 'anthropic', model: 'claude', weight: 40 }, { provider: 'vllm', model: 'llama', weight: 0 }] };
    expect(strategicMerge(base, patch)).toEqual({
      targets: [
        { provider: 'openai', model: 'gpt', weight: 80 },
        { provider: 'anthropic', model: 'claude', weight: 40 },
        { provider: 'vllm', model: 'llama', weight: 0 },
      ],
    });
  });

  it('does not modify its inputs', () => {
    const base = { spec: { a: 1 } };
    strategicMerge(base, { spec: { a: 2 } });
    expect(base).toEqual({ spec: { a: 1 } });
  });
});

describe('sourcePath', () => {
  it('maps a merged list index to the patch index by merge key', () => {
    const base = { t: [{ name: 'a', w: 1 }, { name: 'b', w: 2 }] };
    const patch = { t: [{ name: 'b', w: 5 }] };
    const merged = strategicMerge(base, patch);
    expect(sourcePath(merged, patch, ['t', 1, 'w'])).toEqual(['t', 0, 'w']);
    expect(sourcePath(merged, patch, ['t', 0, 'w'])).toBeUndefined();
    expect(sourcePath(merged, base, ['t', 0, 'w'])).toEqual(['t', 0, 'w']);
  });
});
