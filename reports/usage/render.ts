// One entry for the output formats of `modelgate usage`.
import { formatCsv } from './format-csv.ts';
import { formatText } from './format-text.ts';
import { formatHtml } from './html/report.ts';
import type { UsageReport } from './report.ts';

export const USAGE_FORMATS = ['text', 'json', 'csv', 'html'] as const;
export type UsageFormat = (typeof USAGE_FORMATS)[number];

export function renderUsage(report: UsageReport, format: UsageFormat): string {
  switch (format) {
    case 'text':
      return formatText(report);
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'csv':
      return formatCsv(report);
    case 'html':
      return formatHtml(report);
  }
}
