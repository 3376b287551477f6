import { describe, expect, it } from 'vitest';
import { parseYamlFile, MAX_DEPTH } from './parse-yaml.ts';

const rules = (text: string) => parseYamlFile('f.yaml', text).diagnostics.map((d) => `${d.ruleId}@${d.line}:${d.column}`);

describe('parseYamlFile', () => {
  it('parses several documents and keeps their index', () => {
    const { documents, diagnostics } = parseYamlFile('f.yaml', 'a: 1\n---\nb: 2\n---\n');
    expect(diagnostics).toEqual([]);
    expect(documents.map((d) => [d.index, d.value])).toEqual([
      [0, { a: 1 }],
      [1, { b: 2 }],
    ]);
  });

  it('refuses duplicate keys at the second key', () => {
    expect(rules('spec:\n  a: 1\n  a: 2\n')).toEqual(['duplicate-key@3:3']);
  });

  // Our linear check stands in for yaml's quadratic one, and reports what and where yaml did.
  it.each([
    ['after a key with no value, at the end of its line', 'spec:\nspec:\n  a: 1\n', ['duplicate-key@1:6']],
    ['in a flow mapping', 'x: {a: 1, b: 2, a: 3}\n', ['duplicate-key@1:17']],
    ['after an anchor, at the key itself', 'a: 1\n# note\n&k a: 2\n', ['duplicate-key@3:4']],
    ['alongside a syntax error', 'a: 1\na: 2\nb: [\n', ['duplicate-key@2:1', 'yaml-syntax@4:1']],
    ['never for keys of different types, or NaN', '1: x\n"1": y\n.nan: 1\n.nan: 2\n', []],
  ])('reports duplicate keys as yaml does: %s', (_label, text, expected) => {
    expect(rules(text)).toEqual(expected);
  });

  it('reports syntax errors with their position and no stack', () => {
    const { diagnostics } = parseYamlFile('f.yaml', 'spec:\n  a: [1, 2\n');
    expect(diagnostics[0]).toMatchObject({ ruleId: 'yaml-syntax', file: 'f.yaml' });
    expect(diagnostics[0]!.message).not.toMatch(/\n\s+at /);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses the key %s', (key) => {
    const { documents, diagnostics } = parseYamlFile('f.yaml', `spec:\n  ${key}:\n    polluted: yes\n`);
    expect(documents).toEqual([]);
    expect(diagnostics.map((d) => `${d.ruleId}@${d.line}:${d.column}`)).toEqual(['forbidden-key@2:3']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a billion-laughs alias bomb quickly', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      levels.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const started = Date.now();
    expect(rules(`${levels.join('\n')}\n`)).toEqual(['yaml-alias-bomb@1:1']);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('allows a few aliases', () => {
    const { documents, diagnostics } = parseYamlFile('f.yaml', 'a: &x {b: 1}\nc: *x\n');
    expect(diagnostics).toEqual([]);
    expect(documents[0]!.value).toEqual({ a: { b: 1 }, c: { b: 1 } });
  });

  it('refuses nesting deeper than the limit, flow or block style', () => {
    const flow = '['.repeat(MAX_DEPTH + 5) + ']'.repeat(MAX_DEPTH + 5);
    expect(rules(`a: ${flow}\n`)[0]).toMatch(/^yaml-too-deep@1:/);
    // The yaml parser itself stops far below a stack overflow; either way the file is refused, located.
    const deep = parseYamlFile('f.yaml', '['.repeat(20_000) + ']'.repeat(20_000));
    expect(deep.documents).toEqual([]);
    expect(deep.diagnostics[0]).toMatchObject({ file: 'f.yaml', line: 1, ruleId: expect.stringMatching(/^yaml-(too-deep|syntax)$/) });
  });
});
