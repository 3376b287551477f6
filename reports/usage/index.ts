// Public face of the usage module: read logs, aggregate, compare with budgets, render.
export { DIMENSIONS, type Dimension, type GroupSummary, type UsageSummary } from './aggregate.ts';
export type { BudgetLine, BudgetReport } from './budget.ts';
export { parseBound } from './period.ts';
export { renderUsage, USAGE_FORMATS, type UsageFormat } from './render.ts';
export { usageReport, type UsageOptions, type UsageReport } from './report.ts';
export { LogSourceError, resolveSources, type LogSource } from './sources.ts';
