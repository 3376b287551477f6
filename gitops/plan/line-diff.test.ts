import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from './line-diff.ts';

/** Applies a unified diff the way `patch` does, hunk by hunk, to check the diff is right. */
function applyPatch(before: string, diff: string): string {
  const source = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  let at = 0;
  let noEol = !before.endsWith('\n') && before !== '';
  const lines = diff.split('\n').slice(2, -1);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const header = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@$/.exec(line);
    if (header) {
      const start = Number(header[1]) - (header[2] === '0' ? 0 : 1);
      out.push(...source.slice(at, start));
      at = start;
      continue;
    }
    const eolMarker = lines[i + 1] === '\\ No newline at end of file';
    if (line[0] === ' ' || line[0] === '-') {
      expect(source[at]).toBe(line.slice(1));
      at++;
    }
    if (line[0] === ' ' || line[0] === '+') {
      out.push(line.slice(1));
      noEol = eolMarker;
    }
    if (eolMarker) i++;
  }
  if (at < source.length) noEol = !before.endsWith('\n');
  out.push(...source.slice(at));
  return out.length === 0 ? '' : out.join('\n') + (noEol ? '' : '\n');
}

function lcsLength(a: string[], b: string[]): number {
  const row = new Array(b.length + 1).fill(0);
  for (const x of a) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = x === b[j - 1] ? diagonal + 1 : Math.max(row[j], row[j - 1]);
      diagonal = up;
    }
  }
  return row[b.length];
}

describe('unifiedDiff', () => {
  it('prints a hunk with three lines of context, like diff -u', () => {
    const before = `${['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].join('\n')}\n`;
    const after = `${['a', 'b', 'c', 'd', 'E', 'f', 'g', 'h', 'i'].join('\n')}\n`;
    const d = unifiedDiff(before, after, { from: 'node/config.json', to: 'node/config.json' });
    expect(d.text).toBe(
      [
        '--- a/node/config.json',
        '+++ b/node/config.json',
        '@@ -2,7 +2,8 @@',
        ' b',
        ' c',
        ' d',
        '-e',
        '+E',
        ' f',
        ' g',
        ' h',
        '+i',
        '',
      ].join('\n'),
    );
    expect([d.added, d.removed]).toEqual([2, 1]);
  });

  it('splits distant changes into separate hunks and marks a new file with /dev/null', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i}`);
    const changed = lines.map((l, i) => (i === 2 || i === 25 ? `${l}!` : l));
    const d = unifiedDiff(lines.join('\n'), changed.join('\n'), { from: 'f', to: 'f' });
    expect(d.text.match(/^@@/gm)).toHaveLength(2);
    expect(unifiedDiff('', 'x\n', { from: null, to: 'k8s/a.yaml' }).text).toBe('--- /dev/null\n+++ b/k8s/a.yaml\n@@ -0,0 +1,1 @@\n+x\n');
  });

  it('shows a change of the final newline only', () => {
    const d = unifiedDiff('a\nb\n', 'a\nb', { from: 'f', to: 'f' });
    expect(d.text).toContain('-b\n+b\n\\ No newline at end of file\n');
  });

  it('gives up with a note instead of a huge diff', () => {
    const a = Array.from({ length: 50 }, (_, i) => `a${i}`).join('\n');
    const b = Array.from({ length: 50 }, (_, i) => `b${i}`).join('\n');
    const d = unifiedDiff(a, b, { from: 'f', to: 'f', maxEdits: 10 });
    expect(d.text).toContain('too many changes to show');
    expect([d.added, d.removed]).toEqual([50, 50]);
  });

  it('numbers the hunks of a change deep inside a large text, whose common ends are skipped', () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `      "key-${i}": ${i},`);
    const before = lines.join('\n');
    const after = lines.map((l, i) => (i === 12_345 ? l.replace('12345', '54321') : l)).join('\n');
    const d = unifiedDiff(before, after, { from: 'node/config.json', to: 'node/config.json' });
    expect(d.text.split('\n').slice(2, 4)).toEqual(['@@ -12343,7 +12343,7 @@', '       "key-12342": 12342,']);
    expect([d.added, d.removed]).toEqual([1, 1]);
    expect(applyPatch(before, d.text)).toBe(after);
    // The last line has no newline: it is context here, and marked as such.
    const end = unifiedDiff(`${before}\nx`, `${after}\nx`, { from: 'f', to: 'f', context: 20_000 });
    expect(end.text.endsWith(' x\n\\ No newline at end of file\n')).toBe(true);
    expect(applyPatch(`${before}\nx`, end.text)).toBe(`${after}\nx`);
  });

  it('produces a minimal diff that patches the old text into the new one', () => {
    const text = fc
      .array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 14 })
      .chain((lines) => fc.boolean().map((eol) => (lines.length ? lines.join('\n') + (eol ? '\n' : '') : '')));
    fc.assert(
      fc.property(text, text, fc.constantFrom('', 'a\n'.repeat(3000)), (middleBefore, middleAfter, common) => {
        // Long common first lines take the chunked comparison of the common ends.
        const before = common + middleBefore;
        const after = common + middleAfter;
        const d = unifiedDiff(before, after, { from: 'f', to: 'f', context: 1 });
        expect(applyPatch(before, d.text)).toBe(after);
        // A last line without a newline differs from the same text with one, so only compare full lines.
        if (!/[^\n]$/.test(before) && !/[^\n]$/.test(after)) {
          // The common lines are in every longest common subsequence: count the rest.
          const a = middleBefore.split('\n').filter(Boolean);
          const b = middleAfter.split('\n').filter(Boolean);
          expect(d.added + d.removed).toBe(a.length + b.length - 2 * lcsLength(a, b));
        }
      }),
      { numRuns: 300 },
    );
  });
});
