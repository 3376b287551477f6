// The usage report as data: what was read, the aggregates and, with a config, the budget check. Every
// output format renders this one object.
import type { IR } from '../../compiler/ir/types.ts';
import { UsageAggregator, type AggregateOptions, type UsageSummary } from './aggregate.ts';
import { budgetReport, type BudgetReport } from './budget.ts';
import { forEachLine } from './read-lines.ts';
import { LogSourceError, type LogSource } from './sources.ts';

export interface UsageReport {
  sources: string[];
  since?: string;
  until?: string;
  summary: UsageSummary;
  budgets?: BudgetReport & { config: string; environment: string };
}

export interface UsageOptions extends AggregateOptions {
  /** The config whose access-policy budgets the spend is compared with. */
  config?: { ir: IR; root: string };
}

export async function usageReport(sources: readonly LogSource[], opts: UsageOptions): Promise<UsageReport> {
  const aggregator = new UsageAggregator(opts);
  for (const source of sources) {
    try {
      await forEachLine(source.open(), (line, n) => aggregator.addLine(line, source.name, n));
    } catch (error) {
      throw new LogSourceError(`${source.name}: ${(error as Error).message}`);
    }
  }
  const summary = aggregator.summary();
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
  // Budgets are judged as of the end of the period asked for, else as of the newest record.
  const asOf = opts.until ?? (summary.last ? Date.parse(summary.last) : undefined);
  return {
    sources: sources.map((s) => s.name),
    ...(opts.since !== undefined ? { since: iso(opts.since) } : {}),
    ...(opts.until !== undefined ? { until: iso(opts.until) } : {}),
    summary,
    ...(opts.config && asOf !== undefined
      ? {
          budgets: {
            config: opts.config.root,
            environment: opts.config.ir.environment.name,
            ...budgetReport(summary, opts.config.ir, asOf, opts.since),
          },
        }
      : {}),
  };
}
