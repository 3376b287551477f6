import { describe, expect, it } from 'vitest';
import { diffValues, formatPath } from './value-diff.ts';

describe('diffValues', () => {
  it('reports a changed weight with the path a reviewer reads', () => {
    const before = {
      spec: {
        targets: [
          { provider: 'openai', model: 'gpt-4o', weight: 80 },
          { provider: 'anthropic', model: 'claude', weight: 20 },
        ],
      },
    };
    const after = {
      spec: {
        targets: [
          { provider: 'openai', model: 'gpt-4o', weight: 60 },
          { provider: 'anthropic', model: 'claude', weight: 40 },
        ],
      },
    };
    expect(diffValues(before, after).map((c) => `${formatPath(c.path)}: ${String(c.before)} → ${String(c.after)}`)).toEqual([
      'spec.targets[0].weight: 80 → 60',
      'spec.targets[1].weight: 20 → 40',
    ]);
  });

  it('matches named items by key, so an insertion is one add and not a cascade of changes', () => {
    const before = {
      models: [
        { name: 'a', version: '1' },
        { name: 'b', version: '1' },
      ],
    };
    const after = { models: [{ name: 'new' }, { name: 'a', version: '1' }, { name: 'b', version: '2' }] };
    expect(diffValues(before, after)).toEqual([
      { op: 'add', path: ['models', 0], after: { name: 'new' } },
      { op: 'change', path: ['models', 2, 'version'], before: '1', after: '2' },
    ]);
  });

  it('reports removed items at their base index, and a new order of the same items', () => {
    const ref = (provider: string) => ({ provider, model: 'm' });
    expect(diffValues({ fallbacks: [ref('a'), ref('b'), ref('c')] }, { fallbacks: [ref('c'), ref('a')] })).toEqual([
      { op: 'remove', path: ['fallbacks', 1], before: ref('b') },
      { op: 'reorder', path: ['fallbacks'], before: ['a/m', 'c/m'], after: ['c/m', 'a/m'] },
    ]);
  });

  it('keys prompt rollouts by version', () => {
    const diff = diffValues(
      { serve: [{ version: 'v1', weight: 100 }] },
      {
        serve: [
          { version: 'v1', weight: 90 },
          { version: 'v2', weight: 10 },
        ],
      },
    );
    expect(diff.map((c) => [c.op, formatPath(c.path)])).toEqual([
      ['change', 'serve[0].weight'],
      ['add', 'serve[1]'],
    ]);
  });

  it('treats lists of scalars as one value and compares unkeyed objects by position', () => {
    expect(diffValues({ on: [429, 500] }, { on: [429] })).toEqual([{ op: 'change', path: ['on'], before: [429, 500], after: [429] }]);
    expect(diffValues({ m: [{ role: 'system', content: 'a' }] }, { m: [{ role: 'system', content: 'b' }] })).toEqual([
      { op: 'change', path: ['m', 0, 'content'], before: 'a', after: 'b' },
    ]);
  });

  it('reports added and removed keys, and nothing for equal values', () => {
    expect(diffValues({ a: 1, b: { c: 2 } }, { a: 1, b: { c: 2 } })).toEqual([]);
    expect(diffValues({ a: 1 }, { b: 2 })).toEqual([
      { op: 'add', path: ['b'], after: 2 },
      { op: 'remove', path: ['a'], before: 1 },
    ]);
  });
});

describe('formatPath', () => {
  it('quotes keys that are not plain words', () => {
    expect(formatPath(['spec', 'headers', 'x-org-id'])).toBe('spec.headers.x-org-id');
    expect(formatPath(['spec', 'versions', 'v1.2', 'messages', 0])).toBe('spec.versions["v1.2"].messages[0]');
  });
});
