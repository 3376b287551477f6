// The terminal report: one aligned table per section, numbers right-aligned.
import type { GroupSummary } from './aggregate.ts';
import { count, int, millis, percent, usd } from './numbers.ts';
import type { UsageReport } from './report.ts';

export const SKETCH_NOTE = 'Latency percentiles are estimates within ±1% (log-bucket histogram).';

export function formatText(report: UsageReport): string {
  const { summary } = report;
  const out: string[] = [];
  const span = summary.first ? `, ${summary.first} .. ${summary.last}` : '';
  out.push(`Usage by ${summary.by}: ${int(summary.totals.requests)} requests from ${count(report.sources.length, 'log')}${span}`);
  if (report.since || report.until) {
    out.push(`Period: ${report.since ?? 'start'} .. ${report.until ?? 'end'} (${int(summary.outOfRange)} records outside it skipped)`);
  }
  out.push('');
  const row = (g: GroupSummary): string[] => [
    g.key,
    int(g.requests),
    int(g.inputTokens),
    int(g.outputTokens),
    usd(g.costUsd),
    percent(g.errorRate),
    percent(g.cacheHitRate),
    millis(g.latencyMs.p50),
    millis(g.latencyMs.p95),
  ];
  out.push(
    ...table(
      [`<${summary.by.toUpperCase()}`, 'REQUESTS', 'TOKENS IN', 'TOKENS OUT', 'COST USD', 'ERRORS', 'CACHE HIT', 'P50 MS', 'P95 MS'],
      [...summary.groups.map(row), row(summary.totals)],
    ),
  );

  const budgets = report.budgets;
  if (budgets) {
    out.push(
      '',
      `Budgets for ${budgets.month} as of ${budgets.asOf} (${budgets.elapsedDays.toFixed(1)} of ${budgets.daysInMonth} days), ` +
        `config ${budgets.config}, environment ${budgets.environment}:`,
    );
    out.push(
      ...table(
        ['<CONSUMER', '<POLICY', 'BUDGET USD', 'SPENT USD', 'USED', 'PROJECTED USD', '<STATUS'],
        budgets.lines.map((b) => [
          b.consumer,
          b.policy,
          usd(b.budgetUsd),
          usd(b.spentUsd),
          percent(b.spentUsd / b.budgetUsd),
          usd(b.projectedUsd),
          b.status === 'within budget' ? b.status : `${b.status.toUpperCase()} (${percent(b.projectedUsd / b.budgetUsd)} of budget)`,
        ]),
      ),
    );
    out.push(...budgets.notes);
  }

  if (summary.operational) out.push('', `Skipped ${count(summary.operational, 'operational log line')} (level/msg, not usage records).`);
  const { malformed } = summary;
  if (malformed.count) {
    out.push('', `Skipped ${count(malformed.count, 'malformed line')} (first ${malformed.first.length} listed):`);
    out.push(...malformed.first.map((m) => `  ${m.source}:${m.line}: ${m.reason}`));
  }
  out.push('', SKETCH_NOTE);
  return `${out.join('\n')}\n`;
}

/** Columns padded to their widest cell: headers starting with `<` are text (left-aligned), others numbers. */
function table(headers: string[], rows: string[][]): string[] {
  const left = headers.map((h) => h.startsWith('<'));
  const titles = headers.map((h) => h.replace(/^</, ''));
  const widths = titles.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (left[i] ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(titles), ...rows.map(line)];
}
