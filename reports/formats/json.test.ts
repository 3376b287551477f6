import { describe, expect, it } from 'vitest';
import { formatReport } from './index.ts';
import { SAMPLE, SAMPLE_FILES } from '../../test/support/sample-diagnostics.ts';

describe('json report', () => {
  const text = formatReport('json', SAMPLE, { filesChecked: SAMPLE_FILES, pathPrefix: 'ignored' });
  const report = JSON.parse(text);

  it('holds every finding, suppressed ones with their waiver, sorted, with root-relative paths', () => {
    expect(report.diagnostics).toHaveLength(SAMPLE.length);
    expect(report.diagnostics.map((d: { file: string; line: number }) => `${d.file}:${d.line}`)).toEqual([
      'access/payments.yaml:9',
      'access/payments.yaml:11',
      'prompts/support-reply.yaml:5',
      'providers/openai.yaml:12',
      'routes/chat.yaml:6',
      'routes/chat.yaml:10',
    ]);
    expect(report.diagnostics[2].suppressed).toEqual({
      exception: 'PolicyException/support-owner',
      owner: 'li.wei',
      reason: 'Owner is being hired, until March.',
    });
    expect(report.summary).toEqual({ errors: 3, warnings: 1, infos: 1, suppressed: 1, filesWithFindings: 3, filesChecked: 5 });
    expect(report.filesChecked).toEqual(SAMPLE_FILES);
  });

  it('is byte-identical whatever the input order, with a fixed key order', () => {
    expect(formatReport('json', [...SAMPLE].reverse(), { filesChecked: [...SAMPLE_FILES].reverse() })).toBe(text);
    expect(Object.keys(report.diagnostics[5])).toEqual([
      'ruleId',
      'severity',
      'message',
      'file',
      'line',
      'column',
      'endLine',
      'endColumn',
      'resource',
      'hint',
    ]);
  });
});
