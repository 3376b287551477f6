// CSV (RFC 4180) of the groups, one row each, for spreadsheets; totals and budgets are in json and text.
import type { UsageReport } from './report.ts';

const COLUMNS = [
  'requests',
  'input_tokens',
  'output_tokens',
  'cost_usd',
  'errors',
  'error_rate',
  'cache_hits',
  'cache_lookups',
  'cache_hit_rate',
  'p50_ms',
  'p95_ms',
  'p99_ms',
] as const;

export function formatCsv(report: UsageReport): string {
  const rows = report.summary.groups.map((g) => [
    g.key,
    g.requests,
    g.inputTokens,
    g.outputTokens,
    g.costUsd,
    g.errors,
    round(g.errorRate),
    g.cacheHits,
    g.cacheLookups,
    g.cacheHitRate === null ? '' : round(g.cacheHitRate),
    ...[g.latencyMs.p50, g.latencyMs.p95, g.latencyMs.p99].map((ms) => (ms === null ? '' : round(ms))),
  ]);
  return `${[[report.summary.by, ...COLUMNS], ...rows].map((r) => r.map((cell) => field(String(cell))).join(',')).join('\r\n')}\r\n`;
}

const round = (n: number): number => Math.round(n * 1e4) / 1e4;

function field(text: string): string {
  // A leading = + - @ makes spreadsheets run the cell as a formula: quote-prefix it (OWASP CSV injection).
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
