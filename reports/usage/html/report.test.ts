// The HTML report is one self-contained file, the same bytes for the same input; its charts are drawn in headless
// Chromium by browser.test.ts beside it (a real browser: the tools project).
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleUsageReport } from '../../../test/support/usage-sample.ts';
import { formatHtml } from './report.ts';

describe('formatHtml', () => {
  let html: string;
  beforeAll(async () => {
    html = formatHtml(await sampleUsageReport(true));
  });

  it('is one self-contained file: no script, no external URL', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="(?!data:)/);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toContain('sample &#60;log&#62;.jsonl');
  });

  it('is byte-identical for the same input', async () => {
    expect(formatHtml(await sampleUsageReport(true))).toBe(html);
  });

  it('says how to get budgets when no config was given', async () => {
    expect(formatHtml(await sampleUsageReport(false))).toContain('Run with <code>--config DIR --env E</code>');
  });
});
