// JUnit XML for GitLab's test report: one testcase per file checked; a file with errors fails.
import type { Diagnostic } from '../../kernel/diagnostics.ts';
import { checkedFiles } from './summary.ts';

export function formatJunit(diagnostics: readonly Diagnostic[], filesChecked: readonly string[]): string {
  const files = checkedFiles(diagnostics, filesChecked);
  const cases = files.map((file) =>
    testCase(
      file,
      diagnostics.filter((d) => d.file === file),
    ),
  );
  const failures = cases.filter((c) => c.failed).length;
  const counts = `tests="${files.length}" failures="${failures}" errors="0" skipped="0"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="modelgate" ${counts}>`,
    `  <testsuite name="modelgate validate" ${counts}>`,
    ...cases.map((c) => c.xml),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function testCase(file: string, findings: Diagnostic[]): { failed: boolean; xml: string } {
  const open = `    <testcase classname="modelgate" name="${escapeXml(file)}" file="${escapeXml(file)}"`;
  const errors = findings.filter((d) => d.severity === 'error' && !d.suppressed);
  const others = findings.filter((d) => !errors.includes(d));
  if (findings.length === 0) return { failed: false, xml: `${open}/>` };
  const body: string[] = [];
  if (errors.length) {
    const message = errors.length === 1 ? errors[0]!.message : `${errors.length} errors`;
    body.push(
      `      <failure type="${escapeXml(errors[0]!.ruleId)}" message="${escapeXml(message)}">${escapeXml(errors.map(findingLine).join('\n'))}</failure>`,
    );
  }
  if (others.length) body.push(`      <system-out>${escapeXml(others.map(findingLine).join('\n'))}</system-out>`);
  return { failed: errors.length > 0, xml: [`${open}>`, ...body, '    </testcase>'].join('\n') };
}

function findingLine(d: Diagnostic): string {
  const waived = d.suppressed ? ` (suppressed by ${d.suppressed.exception}: ${d.suppressed.reason})` : '';
  const hint = d.hint ? `\n  hint: ${d.hint}` : '';
  return `${d.file}:${d.line}:${d.column} ${d.severity} ${d.message} [${d.ruleId}]${waived}${hint}`;
}

/** Escapes markup and drops characters XML 1.0 cannot carry at all. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
