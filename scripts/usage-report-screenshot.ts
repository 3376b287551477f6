// Renders the HTML usage report of a generated log (1M requests over 20 days, fixtures/acme budgets) in
// headless Chromium and saves a PNG for people to look at.
//
//   npx tsx scripts/usage-report-screenshot.ts [--out usage-report.png] [--html usage-report.html] [--lines 1000000]
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compileProject } from '../pipeline/compile.ts';
import { generateChunks } from '../reports/usage/generate-log.ts';
import { renderUsage, usageReport } from '../reports/usage/index.ts';
import { commandLine, count } from '../bench/lib/args.ts';
import { chromiumMissing, launchChromium } from './headless-chromium.ts';

const { values } = commandLine({
  script: 'scripts/usage-report-screenshot.ts',
  summary: 'Renders the HTML usage report of a generated log in headless Chromium and saves a PNG.',
  options: {
    out: { type: 'string', value: 'FILE', default: 'usage-report.png', description: 'the PNG to write' },
    html: { type: 'string', value: 'FILE', default: 'usage-report.html', description: 'the HTML page to write' },
    lines: count(1000000, 'lines of generated usage log'),
  },
});
const missing = chromiumMissing();
if (missing) {
  process.stderr.write(`usage-report-screenshot: ${missing}\n`);
  process.exit(2);
}

const { ir } = compileProject(fileURLToPath(new URL('../fixtures/acme', import.meta.url)), { env: 'prod' });
if (!ir) throw new Error('fixtures/acme does not compile for prod: run modelgate validate fixtures/acme --env prod');
const lines = values.lines;
const source = { name: `generated log (${lines} lines)`, open: () => Readable.from(generateChunks({ lines, days: 20 })) };
const report = await usageReport([source], { by: 'consumer', config: { ir, root: 'fixtures/acme' } });
writeFileSync(values.html, renderUsage(report, 'html'));

const browser = await launchChromium();
try {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1200, height: 900 });
  await page.goto(pathToFileURL(resolve(values.html)).href);
  await page.screenshot({ path: values.out, fullPage: true });
} finally {
  await browser.close();
}
process.stdout.write(`wrote ${values.out} (page: ${values.html})\n`);
