import { describe, expect, it } from 'vitest';
import { formatReport, useColor } from './index.ts';
import { SAMPLE, SAMPLE_FILES } from '../../test/support/sample-diagnostics.ts';

const ESC = '\x1b[';

describe('text report', () => {
  const plain = formatReport('text', SAMPLE, { filesChecked: SAMPLE_FILES, color: false });

  it('prints file:line:col, severity, message and rule, grouped by file, with hints', () => {
    expect(plain).toContain('routes/chat.yaml:10:3  error    `spec.fallback` is not a known property. Did you mean "fallbacks"?  [schema]');
    expect(plain).toMatch(/\n +hint: Known properties of `spec`: targets, fallbacks\.\n/);
    expect(plain).toContain('providers/openai.yaml:12:9  info  gpt-4 is deprecated.  [model-deprecated] (env prod)');
    // Groups are separated by a blank line; both findings of routes/chat.yaml sit in one group, in line order.
    const groups = plain.trimEnd().split('\n\n');
    const chat = groups.find((g) => g.startsWith('routes/chat.yaml'))!;
    expect(
      chat
        .split('\n')
        .filter((l) => l.startsWith('routes/'))
        .map((l) => l.split(' ')[0]),
    ).toEqual(['routes/chat.yaml:6:1', 'routes/chat.yaml:10:3']);
  });

  it('marks suppressed findings and counts them apart in the summary', () => {
    expect(plain).toContain('suppressed by PolicyException/support-owner (owner li.wei): Owner is being hired, until March.');
    expect(plain.trimEnd().split('\n').at(-1)).toBe('✖ 3 errors, 1 warning, 1 info in 3 files, 1 suppressed');
  });

  it('says so when there is nothing to report', () => {
    expect(formatReport('text', [], { filesChecked: SAMPLE_FILES })).toBe('✔ No problems in 5 files\n');
  });

  it('colours only when asked, and dims suppressed findings', () => {
    expect(plain).not.toContain(ESC);
    const coloured = formatReport('text', SAMPLE, { filesChecked: SAMPLE_FILES, color: true });
    expect(coloured).toContain(`${ESC}31merror`);
    expect(coloured).toMatch(/\x1b\[2mprompts\/support-reply\.yaml:5:3/);
  });

  it('uses colour on a TTY unless NO_COLOR is set', () => {
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({}, {})).toBe(false);
  });

  it('prints 200,000 findings of one file (a file of duplicate keys) without overflowing the stack', () => {
    const many = Array.from({ length: 200_000 }, (_, i) => ({ ...SAMPLE[0]!, file: 'keys.yaml', line: i + 2, endLine: i + 2 }));
    const text = formatReport('text', many, { filesChecked: ['keys.yaml'] });
    expect(text.split('\n').filter((l) => l.startsWith('keys.yaml:'))).toHaveLength(200_000);
  });
});
