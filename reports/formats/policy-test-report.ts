// Formats `modelgate policy test` results: conftest-verify-style text, JSON, or JUnit XML for GitLab.
import { posix } from 'node:path';
import { escapeXml } from './junit.ts';
import type { PolicyTestDetail, PolicyTestResult } from '../../policies/policy-tests.ts';

export type PolicyTestFormat = 'text' | 'json' | 'junit';

export interface PolicyTestSummary {
  tests: number;
  passed: number;
  failed: number;
}

export function summarizeTests(results: readonly PolicyTestResult[]): PolicyTestSummary {
  const passed = results.filter((r) => r.ok).length;
  return { tests: results.length, passed, failed: results.length - passed };
}

/** `dir` is the config root as the user typed it: text and JUnit paths then open from where the command ran. */
export function formatPolicyTests(results: readonly PolicyTestResult[], format: PolicyTestFormat, dir = '.'): string {
  const summary = summarizeTests(results);
  if (format === 'json') {
    // Like the other JSON reports: paths relative to the config root, details as data.
    const rows = results.map(({ location, ...r }) => ({ ...r, line: location.line, column: location.column }));
    return `${JSON.stringify({ results: rows, summary }, null, 2)}\n`;
  }
  const prefix = (file: string) => posix.join(dir.split('\\').join('/'), file);
  const shown = results.map((r) => ({ ...r, file: prefix(r.file), details: r.details.map((d) => detailLine(d, prefix)) }));
  if (format === 'junit') return junit(shown, summary);
  const lines = shown.flatMap((r) => [
    `${r.ok ? 'PASS' : 'FAIL'} ${r.file} - ${r.policy} - ${r.name}`,
    ...r.details.map((d) => `     ${d}`),
  ]);
  const total = `${summary.tests} test${summary.tests === 1 ? '' : 's'}, ${summary.passed} passed, ${summary.failed} failed`;
  const none = results.length === 0 ? ' (no Policy has `spec.tests`)' : '';
  return `${[...lines, ...(lines.length ? [''] : []), total + none].join('\n')}\n`;
}

function detailLine(d: PolicyTestDetail, prefix: (file: string) => string): string {
  return d.at ? `${prefix(d.at.file)}:${d.at.line}:${d.at.column} ${d.message}` : d.message;
}

type ShownResult = Omit<PolicyTestResult, 'details'> & { details: string[] };

/** One testsuite per Policy, one testcase per case. */
function junit(results: readonly ShownResult[], summary: PolicyTestSummary): string {
  const suites = new Map<string, ShownResult[]>();
  for (const r of results) suites.set(`${r.file}\0${r.policy}`, [...(suites.get(`${r.file}\0${r.policy}`) ?? []), r]);
  const body = [...suites.values()].flatMap((cases) => {
    const failures = cases.filter((c) => !c.ok).length;
    return [
      `  <testsuite name="${escapeXml(cases[0]!.policy)}" file="${escapeXml(cases[0]!.file)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0">`,
      ...cases.map((c) => {
        const open = `    <testcase classname="${escapeXml(c.policy)}" name="${escapeXml(c.name)}" file="${escapeXml(c.file)}" line="${c.location.line}"`;
        if (c.ok) return `${open}/>`;
        const failure = `      <failure message="${escapeXml(c.details[0] ?? 'failed')}">${escapeXml(c.details.join('\n'))}</failure>`;
        return [`${open}>`, failure, '    </testcase>'].join('\n');
      }),
      '  </testsuite>',
    ];
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="modelgate policy test" tests="${summary.tests}" failures="${summary.failed}" errors="0" skipped="0">`,
    ...body,
    '</testsuites>',
    '',
  ].join('\n');
}
