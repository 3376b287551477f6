import { describe, expect, it } from 'vitest';
import { fileOf, selfTimes } from './profile-summary.ts';

const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });

describe('bench/profile-summary', () => {
  it('splits the profile duration by self samples, largest first, merging nodes with the same key', () => {
    const profile = {
      startTime: 0,
      endTime: 1_000_000, // µs: one second
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), hitCount: 0 },
        { id: 2, callFrame: frame('parse', 'file:///x/node_modules/yaml/dist/a.js'), hitCount: 5 },
        { id: 3, callFrame: frame('lex', 'file:///x/node_modules/yaml/dist/b.js'), hitCount: 3 },
        { id: 4, callFrame: frame('validate', 'file:///x/node_modules/ajv/dist/c.js'), hitCount: 2 },
      ],
    };
    const byFunction = selfTimes(profile, (n) => n.callFrame.functionName);
    expect(byFunction.map((s) => [s.name, s.ms])).toEqual([
      ['parse', 500],
      ['lex', 300],
      ['validate', 200],
    ]);
    const byPackage = selfTimes(profile, fileOf);
    expect(byPackage.map((s) => [s.name, s.share])).toEqual([
      ['yaml', 0.8],
      ['ajv', 0.2],
    ]);
  });

  it('names scoped packages by scope and name, and V8 entries by their own name', () => {
    const node = (functionName: string, url: string) => ({ id: 1, callFrame: frame(functionName, url) });
    expect(fileOf(node('lint', 'file:///r/node_modules/@stoplight/spectral-core/dist/x.js'))).toBe('@stoplight/spectral-core');
    expect(fileOf(node('(garbage collector)', ''))).toBe('(garbage collector)');
  });
});
