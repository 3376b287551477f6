import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../kernel/diagnostics.ts';
import { formatReport } from './index.ts';
import { SAMPLE } from '../../test/support/sample-diagnostics.ts';

/**
 * The checks GitLab applies to each entry (its codeclimate.json schema plus the fields its MR widget reads).
 * GitLab stops at the first entry that fails them and drops the rest.
 */
function gitlabProblems(entry: Record<string, any>): string[] {
  const problems: string[] = [];
  for (const key of ['description', 'check_name', 'fingerprint']) {
    if (typeof entry[key] !== 'string' || entry[key] === '') problems.push(`${key} must be a non-empty string`);
  }
  if (!['info', 'minor', 'major', 'critical', 'blocker'].includes(entry.severity)) problems.push(`bad severity ${entry.severity}`);
  if (typeof entry.location?.path !== 'string' || entry.location.path === '') problems.push('location.path must be a string');
  const begin = entry.location?.lines?.begin;
  if (!Number.isInteger(begin) || begin < 1) problems.push('location.lines.begin must be a whole number >= 1');
  return problems;
}

const parse = (diagnostics: Diagnostic[]) => JSON.parse(formatReport('codequality', diagnostics)) as Record<string, any>[];

describe('codequality report', () => {
  const entries = parse(SAMPLE);

  it('emits only entries GitLab accepts', () => {
    expect(Array.isArray(entries)).toBe(true);
    expect(entries.flatMap(gitlabProblems)).toEqual([]);
  });

  it('maps severities and leaves out waived findings', () => {
    expect(entries.map((e) => [e.check_name, e.severity, e.location.path, e.location.lines.begin])).toEqual([
      ['reference', 'major', 'access/payments.yaml', 9],
      ['reference', 'major', 'access/payments.yaml', 11],
      ['model-deprecated', 'info', 'providers/openai.yaml', 12],
      ['route-fallbacks', 'minor', 'routes/chat.yaml', 6],
      ['schema', 'major', 'routes/chat.yaml', 10],
    ]);
  });

  it('gives fingerprints that survive a line shift and stay unique within a report', () => {
    const shifted = parse(SAMPLE.map((d) => ({ ...d, line: d.line + 3, endLine: d.endLine + 3 })));
    expect(shifted.map((e) => e.fingerprint)).toEqual(entries.map((e) => e.fingerprint));
    expect(new Set(entries.map((e) => e.fingerprint)).size).toBe(entries.length);
    const reworded = parse([{ ...SAMPLE[0]!, message: 'another message' }]);
    expect(reworded[0]!.fingerprint).not.toBe(entries.find((e) => e.check_name === 'schema')!.fingerprint);
  });

  it('repairs what GitLab would reject: empty messages, missing files, line 0', () => {
    const odd = parse([{ ...SAMPLE[1]!, message: ' ', file: '', line: 0 }]);
    expect(odd.flatMap(gitlabProblems)).toEqual([]);
    expect(odd[0]).toMatchObject({ description: 'route-fallbacks', location: { path: '.', lines: { begin: 1 } } });
  });
});
