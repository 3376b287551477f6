// The usage report of a generated log (20,000 lines over 12 days, a malformed line now and then), with acme's prod
// budgets or without a config: what the HTML report's tests render, in the unit tests and in Chromium.
import { Readable } from 'node:stream';
import { generateChunks } from '../../reports/usage/generate-log.ts';
import { usageReport, type UsageReport } from '../../reports/usage/report.ts';
import { acmeIR } from './acme.ts';

export async function sampleUsageReport(withConfig: boolean): Promise<UsageReport> {
  const source = {
    name: 'sample <log>.jsonl',
    open: () => Readable.from(generateChunks({ lines: 20_000, days: 12, malformedEvery: 5000 })),
  };
  return usageReport([source], { by: 'route', ...(withConfig ? { config: { ir: acmeIR('prod'), root: 'fixtures/acme' } } : {}) });
}
