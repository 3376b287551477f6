// The HTML report must draw its charts in a real browser, with no script, no network and no console error: headless
// Chromium (the tools project, `npm run test:tools`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, type Browser } from '../../../scripts/headless-chromium.ts';
import { sampleUsageReport } from '../../../test/support/usage-sample.ts';
import { formatHtml } from './report.ts';

let html: string;
beforeAll(async () => {
  html = formatHtml(await sampleUsageReport(true));
});

const missing = chromiumMissing();
describe.skipIf(missing)(`in headless Chromium${missing ? ` (skipped: ${missing})` : ''}`, () => {
  let browser: Browser;
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
