// The HTML report must draw its charts in a real browser, with no script, no network and no console error.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, type Browser } from '../../../scripts/headless-chromium.ts';
import { acmeIR } from '../../../test/support/acme.ts';
import { generateChunks } from '../generate-log.ts';
import { usageReport, type UsageReport } from '../report.ts';
import { formatHtml } from './report.ts';

async function sampleReport(withConfig: boolean): Promise<UsageReport> {
  const ir = acmeIR('prod');
  const source = {
    name: 'sample <log>.jsonl',
    open: () => Readable.from(generateChunks({ lines: 20_000, days: 12, malformedEvery: 5000 })),
  };
  return usageReport([source], { by: 'route', ...(withConfig ? { config: { ir, root: 'fixtures/acme' } } : {}) });
}

describe('formatHtml', () => {
  let html: string;
  beforeAll(async () => {
    html = formatHtml(await sampleReport(true));
  });

  it('is one self-contained file: no script, no external URL', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="(?!data:)/);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).toContain('sample &#60;log&#62;.jsonl');
  });

  it('is byte-identical for the same input', async () => {
    expect(formatHtml(await sampleReport(true))).toBe(html);
  });

  it('says how to get budgets when no config was given', async () => {
    expect(formatHtml(await sampleReport(false))).toContain('Run with <code>--config DIR --env E</code>');
  });

  const missing = chromiumMissing();
  describe.skipIf(missing)(`in headless Chromium${missing ? ` (skipped: ${missing})` : ''}`, () => {
    let browser: Browser;
    // biome-ignore lint/suspicious/noDuplicateTestHooks: describe.skipIf(...)(...) opens a scope of its own, which the rule does not see.
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(async () => browser?.close());

    it('draws every chart, with no console error and no request', async () => {
      const page = await browser.context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('request', (r) => problems.push(`request: ${r.url()}`));
      await page.setContent(html, { waitUntil: 'load' });
      const charts = await page.$$eval('svg.chart', (svgs) =>
        svgs.map((svg) => ({
          label: svg.getAttribute('aria-label'),
          width: svg.getBoundingClientRect().width,
          shapes: svg.querySelectorAll('rect, path, line').length,
        })),
      );
      expect(problems).toEqual([]);
      const labels = charts.map((c) => c.label);
      expect(labels).toEqual(
        expect.arrayContaining([
          'Spend per day by consumer',
          'Top routes by cost',
          'Budget burn-down of payments-api',
          'Latency percentiles',
        ]),
      );
      expect(labels.filter((l) => l?.startsWith('Budget burn-down'))).toHaveLength(4);
      for (const chart of charts) {
        expect(chart.width).toBeGreaterThan(200);
        expect(chart.shapes).toBeGreaterThan(3);
      }
      // 12 days of bars stacked from four paying consumers.
      expect(await page.$$eval('svg[aria-label="Spend per day by consumer"] rect', (r) => r.length)).toBe(48);
      await page.close();
    });
  });
});
