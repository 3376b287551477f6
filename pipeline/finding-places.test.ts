// Places of target findings kept between runs (their differential test over random edits, against builds that
// locate every finding, is gitops/cache/piece-cache.test.ts): what comes back, and what a bad entry gives.
import { describe, expect, it } from 'vitest';
import { placeStore } from './finding-places.ts';

describe('kept places', () => {
  const key = Buffer.alloc(32, 7).toString('base64');
  const at = { file: 'routes/a.yaml', line: 3, column: 5, endLine: 3, endColumn: 9 };

  it('come back as they were located, under the content key they were located for', () => {
    const first = placeStore();
    first.set(key, '["spec","timeout"]', at);
    const { used, added } = first.entries();
    expect([...added.keys()]).toEqual([Buffer.from(key, 'base64').toString('hex')]);
    const next = placeStore(used);
    expect(next.get(key, '["spec","timeout"]')).toEqual(at);
    expect(next.get(key, '["spec"]')).toBeUndefined();
    expect(next.get(Buffer.alloc(32, 8).toString('base64'), '["spec","timeout"]')).toBeUndefined();
    // Taken, not located: nothing to add.
    expect(next.entries().added.size).toBe(0);
  });

  it('are located again when the kept entry is not one', () => {
    const hex = Buffer.from(key, 'base64').toString('hex');
    for (const bytes of ['not json', '{"a":1}', '[["[\\"spec\\"]","a.yaml",1,2,3]]', '[["[\\"spec\\"]","a.yaml",1,2,3,"4"]]']) {
      expect(placeStore(new Map([[hex, Buffer.from(bytes)]])).get(key, '["spec"]'), bytes).toBeUndefined();
    }
  });
});
