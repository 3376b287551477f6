// `modelgate usage --format html`: one self-contained page. No script, no external resource (the icon is a
// data: URL so that browsers do not even ask for /favicon.ico): it opens from a CI artifact or a mail.
import type { GroupSummary } from '../aggregate.ts';
import { SKETCH_NOTE } from '../format-text.ts';
import { count, int, millis, percent, usd } from '../numbers.ts';
import type { UsageReport } from '../report.ts';
import { burnDownCharts, dailySpendChart, latencyChart, topRoutesChart } from './charts.ts';
import { escapeHtml } from '../../escape-html.ts';

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;margin:0;background:#f6f8fa}
main{max-width:1120px;margin:0 auto;padding:24px 28px 40px;background:#fff;min-height:100vh}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:32px 0 10px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.muted{color:#59636e}.kpis{display:flex;flex-wrap:wrap;gap:12px;margin:18px 0 4px}
.kpi{border:1px solid #d0d7de;border-radius:8px;padding:10px 14px;min-width:120px}.kpi b{display:block;font-size:20px}
.kpi span{color:#59636e;font-size:12px}
figure{margin:8px 0 16px}figcaption{color:#59636e;font-size:12px;margin-top:4px}
svg.chart{max-width:100%;height:auto;font-size:11px;fill:#1f2328}
svg .grid{stroke:#d8dee4;stroke-width:1}svg .today{stroke:#8c959f;stroke-dasharray:2 3}svg .zero{stroke:#cf222e;stroke-width:1}
svg .panel-title{font-weight:600;font-size:13px}svg .panel-status{font-size:12px;font-weight:600}svg .small{font-size:10px;fill:#59636e}
.legend{list-style:none;padding:0;margin:6px 0 0;display:flex;flex-wrap:wrap;gap:4px 16px;font-size:12px}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;vertical-align:-1px}
.panels{display:grid;grid-template-columns:repeat(auto-fill,minmax(360px,1fr));gap:8px 20px}
table{border-collapse:collapse;font-size:13px;width:100%}th,td{padding:4px 8px;border-bottom:1px solid #eaeef2;text-align:right;white-space:nowrap}
th{background:#f6f8fa;font-weight:600}th:first-child,td:first-child,.text{text-align:left}
tr.total td{font-weight:600;border-top:2px solid #d0d7de}
.bad{color:#cf222e;font-weight:600}.warn{color:#bc4c00;font-weight:600}.ok{color:#1a7f37}
code{background:#f6f8fa;padding:1px 4px;border-radius:4px}
`;

export function formatHtml(report: UsageReport): string {
  const { summary, budgets } = report;
  const t = summary.totals;
  const period = summary.first ? `${summary.first} .. ${summary.last}` : 'no records';
  const kpis: [string, string][] = [
    [int(t.requests), 'requests'],
    [`$${usd(t.costUsd)}`, 'cost'],
    [int(t.inputTokens + t.outputTokens), 'tokens in + out'],
    [percent(t.errorRate), 'errors (status ≥ 400)'],
    [percent(t.cacheHitRate), 'cache hit rate'],
    [`${millis(t.latencyMs.p95)} ms`, 'latency p95'],
  ];
  const sections = [
    `<h1>modelgate usage report</h1>`,
    `<p class="muted">${escapeHtml(period)} · ${escapeHtml(report.sources.join(', '))}</p>`,
    `<div class="kpis">${kpis.map(([v, k]) => `<div class="kpi"><b>${escapeHtml(v)}</b><span>${escapeHtml(k)}</span></div>`).join('')}</div>`,
    `<h2>Spend per day</h2>${dailySpendChart(summary.daily)}`,
    `<h2>Top routes by cost</h2>${topRoutesChart(summary.routes)}`,
    `<h2>Budget burn-down${budgets ? ` · ${escapeHtml(budgets.month)}, as of ${escapeHtml(budgets.asOf)}` : ''}</h2>${burnDownCharts(budgets)}`,
    `<h2>Latency</h2>${latencyChart(summary.groups, summary.by)}`,
    `<h2>By ${escapeHtml(summary.by)}</h2>${groupTable(summary.groups, t, summary.by)}`,
    ...(budgets?.lines.length ? [`<h2>Budgets</h2>${budgetTable(report)}`] : []),
    ...(summary.malformed.count ? [malformedSection(report)] : []),
    `<p class="muted">${escapeHtml(SKETCH_NOTE)}</p>`,
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>modelgate usage report</title><link rel="icon" href="data:,"><style>${CSS}</style></head>
<body><main>
${sections.join('\n')}
</main></body></html>
`;
}

function groupTable(groups: GroupSummary[], totals: GroupSummary, by: string): string {
  const head = [by, 'requests', 'tokens in', 'tokens out', 'cost USD', 'errors', 'cache hit', 'p50 ms', 'p95 ms', 'p99 ms'];
  const row = (g: GroupSummary, cls = ''): string =>
    `<tr${cls}>${[
      g.key,
      int(g.requests),
      int(g.inputTokens),
      int(g.outputTokens),
      usd(g.costUsd),
      percent(g.errorRate),
      percent(g.cacheHitRate),
      millis(g.latencyMs.p50),
      millis(g.latencyMs.p95),
      millis(g.latencyMs.p99),
    ]
      .map((c) => `<td>${escapeHtml(c)}</td>`)
      .join('')}</tr>`;
  return `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${groups.map((g) => row(g)).join('')}${row(totals, ' class="total"')}</tbody></table>`;
}

function budgetTable(report: UsageReport): string {
  const b = report.budgets!;
  const cls = { exceeded: 'bad', 'on track to exceed': 'warn', 'within budget': 'ok' } as const;
  const rows = b.lines.map(
    (l) =>
      `<tr><td>${escapeHtml(l.consumer)}</td><td class="text">${escapeHtml(l.policy)}</td><td>${usd(l.budgetUsd)}</td><td>${usd(l.spentUsd)}</td>` +
      `<td>${percent(l.spentUsd / l.budgetUsd)}</td><td>${usd(l.projectedUsd)}</td><td class="text ${cls[l.status]}">${escapeHtml(l.status)}</td></tr>`,
  );
  const head = ['consumer', 'policy', 'budget USD', 'spent USD', 'used', 'projected USD', 'status'].map((h, i) =>
    i === 1 || i === 6 ? `<th class="text">${h}</th>` : `<th>${h}</th>`,
  );
  const notes = [
    `Config ${b.config}, environment ${b.environment}; ${b.elapsedDays.toFixed(1)} of ${b.daysInMonth} days elapsed.`,
    ...b.notes,
  ];
  return `<table><thead><tr>${head.join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>${notes.map((n) => `<p class="muted">${escapeHtml(n)}</p>`).join('')}`;
}

function malformedSection(report: UsageReport): string {
  const { first } = report.summary.malformed;
  const items = first.map((m) => `<li><code>${escapeHtml(`${m.source}:${m.line}`)}</code> ${escapeHtml(m.reason)}</li>`).join('');
  const skipped = count(report.summary.malformed.count, 'line');
  return `<h2>Malformed lines</h2><p>${skipped} could not be read and were skipped (first ${first.length} listed):</p><ul>${items}</ul>`;
}
