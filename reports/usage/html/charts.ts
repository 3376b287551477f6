// The report's four charts as inline SVG: daily spend stacked by consumer, top routes by cost, budget
// burn-down per consumer, latency percentiles per group. Each returns a self-contained <figure>.
import type { GroupSummary, UsageSummary } from '../aggregate.ts';
import type { BudgetLine, BudgetReport } from '../budget.ts';
import { millis, usd } from '../numbers.ts';
import { escapeHtml } from '../../escape-html.ts';
import { el, OTHER_COLOUR, PALETTE, text, ticks, title } from './svg.ts';

const WIDTH = 1000;

interface Series {
  name: string;
  colour: string;
}

function legend(series: Series[]): string {
  const items = series.map((s) => `<li><span class="swatch" style="background:${s.colour}"></span>${escapeHtml(s.name)}</li>`);
  return `<ul class="legend">${items.join('')}</ul>`;
}

function figure(caption: string, svg: string, extra = ''): string {
  return `<figure>${svg}${extra}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

function svgRoot(width: number, height: number, label: string, body: string[]): string {
  return el('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': label, class: 'chart' }, ...body);
}

/** Horizontal grid lines with dollar or millisecond labels on the left. */
function yAxis(scale: number[], y: (v: number) => number, x0: number, x1: number, label: (v: number) => string): string[] {
  return scale.flatMap((v) => [
    el('line', { x1: x0, x2: x1, y1: y(v), y2: y(v), class: 'grid' }),
    text(x0 - 6, y(v) + 4, label(v), { 'text-anchor': 'end' }),
  ]);
}

const dollars = (v: number): string => `$${v >= 1000 ? `${Math.round(v / 100) / 10}k` : Math.round(v * 100) / 100}`;

export function dailySpendChart(daily: UsageSummary['daily']): string {
  const totals = new Map<string, number>();
  for (const d of daily) totals.set(d.consumer, (totals.get(d.consumer) ?? 0) + d.costUsd);
  const ranked = [...totals]
    .filter(([, cost]) => cost > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([name]) => name);
  if (ranked.length === 0) return figure('Spend per day: no spend recorded.', '');
  const shown = ranked.length > PALETTE.length ? ranked.slice(0, PALETTE.length - 1) : ranked;
  const series: Series[] = shown.map((name, i) => ({ name, colour: PALETTE[i]! }));
  if (shown.length < ranked.length) series.push({ name: `${ranked.length - shown.length} others`, colour: OTHER_COLOUR });
  const seriesOf = (consumer: string): number => (shown.includes(consumer) ? shown.indexOf(consumer) : series.length - 1);

  const days = dayRange(daily[0]!.day, daily[daily.length - 1]!.day);
  const stacks = new Map(days.map((d) => [d, new Array<number>(series.length).fill(0)]));
  for (const d of daily) if (d.costUsd > 0) stacks.get(d.day)![seriesOf(d.consumer)]! += d.costUsd;
  const max = Math.max(...[...stacks.values()].map((s) => s.reduce((a, b) => a + b, 0)));

  const m = { l: 64, r: 12, t: 12, b: 28 };
  const height = 260;
  const plotW = WIDTH - m.l - m.r;
  const plotH = height - m.t - m.b;
  const scale = ticks(max);
  const top = scale[scale.length - 1]!;
  const y = (v: number): number => m.t + plotH - (v / top) * plotH;
  const slot = plotW / days.length;
  const labelEvery = Math.ceil(days.length / 12);
  const body = yAxis(scale, y, m.l, WIDTH - m.r, dollars);
  days.forEach((day, i) => {
    const x = m.l + i * slot + slot * 0.1;
    let base = 0;
    stacks.get(day)!.forEach((cost, s) => {
      if (cost <= 0) return;
      const h = (cost / top) * plotH;
      body.push(
        el(
          'rect',
          { x, y: y(base) - h, width: slot * 0.8, height: h, fill: series[s]!.colour },
          title(`${day} · ${series[s]!.name}: $${usd(cost)}`),
        ),
      );
      base += cost;
    });
    if (i % labelEvery === 0) body.push(text(x + slot * 0.4, height - m.b + 16, day.slice(5), { 'text-anchor': 'middle' }));
  });
  return figure('Spend per day (UTC), stacked by consumer', svgRoot(WIDTH, height, 'Spend per day by consumer', body), legend(series));
}

export function topRoutesChart(routes: UsageSummary['routes'], limit = 10): string {
  const rows = routes.filter((r) => r.costUsd > 0).slice(0, limit);
  if (rows.length === 0) return figure('Top routes by cost: no spend recorded.', '');
  const m = { l: 170, r: 90, t: 8, b: 8 };
  const rowH = 26;
  const height = m.t + m.b + rows.length * rowH;
  const max = rows[0]!.costUsd;
  const body = rows.flatMap((r, i) => {
    const yMid = m.t + i * rowH + rowH / 2;
    const w = Math.max(1, (r.costUsd / max) * (WIDTH - m.l - m.r));
    return [
      text(m.l - 8, yMid + 4, truncate(r.route, 26), { 'text-anchor': 'end' }),
      el('rect', { x: m.l, y: yMid - 8, width: w, height: 16, fill: PALETTE[0] }, title(`${r.route}: $${usd(r.costUsd)}`)),
      text(m.l + w + 6, yMid + 4, `$${usd(r.costUsd)}`),
    ];
  });
  return figure(`Top ${rows.length} routes by cost`, svgRoot(WIDTH, height, 'Top routes by cost', body));
}

export function burnDownCharts(budgets: BudgetReport | undefined): string {
  if (!budgets) {
    return '<p class="muted">Run with <code>--config DIR --env E</code> to compare each consumer\'s spend with its budget.</p>';
  }
  if (budgets.lines.length === 0) return `<p class="muted">${escapeHtml(budgets.notes.join(' '))}</p>`;
  const panels = budgets.lines.map((line) => burnDown(line, budgets));
  return `<div class="panels">${panels.join('')}</div>`;
}

const STATUS_COLOUR = { exceeded: '#cf222e', 'on track to exceed': '#bc4c00', 'within budget': '#1a7f37' } as const;

/** Remaining budget over the month: actual so far (solid), projected at the current pace (dashed). */
function burnDown(line: BudgetLine, budgets: BudgetReport): string {
  const width = 360;
  const height = 190;
  const m = { l: 56, r: 12, t: 30, b: 24 };
  const plotW = width - m.l - m.r;
  const plotH = height - m.t - m.b;
  const lowest = Math.min(0, line.budgetUsd - line.projectedUsd, line.budgetUsd - line.spentUsd);
  const x = (day: number): number => m.l + (day / budgets.daysInMonth) * plotW;
  const y = (v: number): number => m.t + ((line.budgetUsd - v) / (line.budgetUsd - lowest)) * plotH;
  // Day i ends at x = i + 1, except today, which ends at the as-of time.
  const points = [
    [0, line.budgetUsd],
    ...line.cumulative.map((c, i) => [Math.min(i + 1, budgets.elapsedDays), line.budgetUsd - c.spentUsd]),
  ];
  const path = points.map(([d, v], i) => `${i ? 'L' : 'M'}${round(x(d!))},${round(y(v!))}`).join(' ');
  const [lastDay, lastValue] = points[points.length - 1]!;
  const colour = STATUS_COLOUR[line.status];
  const body = [
    text(m.l, 16, line.consumer, { class: 'panel-title' }),
    text(width - m.r, 16, line.status, { 'text-anchor': 'end', fill: colour, class: 'panel-status' }),
    el('line', { x1: m.l, x2: width - m.r, y1: y(line.budgetUsd), y2: y(line.budgetUsd), class: 'grid' }),
    text(m.l - 6, y(line.budgetUsd) + 4, dollars(line.budgetUsd), { 'text-anchor': 'end' }),
    el('line', { x1: m.l, x2: width - m.r, y1: y(0), y2: y(0), class: 'zero' }),
    text(m.l - 6, y(0) + 4, '$0', { 'text-anchor': 'end' }),
    el('path', { d: `${path} L${round(x(lastDay!))},${round(y(0))} L${round(x(0))},${round(y(0))} Z`, fill: colour, 'fill-opacity': 0.12 }),
    el(
      'path',
      { d: path, fill: 'none', stroke: colour, 'stroke-width': 2 },
      title(`spent $${usd(line.spentUsd)} of $${usd(line.budgetUsd)}`),
    ),
    el(
      'line',
      {
        x1: x(lastDay!),
        y1: y(lastValue!),
        x2: x(budgets.daysInMonth),
        y2: y(line.budgetUsd - line.projectedUsd),
        stroke: colour,
        'stroke-width': 2,
        'stroke-dasharray': '5 4',
      },
      title(`projected $${usd(line.projectedUsd)} by the end of ${budgets.month}`),
    ),
    el('line', { x1: x(budgets.elapsedDays), x2: x(budgets.elapsedDays), y1: m.t, y2: height - m.b, class: 'today' }),
    text(x(budgets.elapsedDays), height - 6, `as of day ${Math.ceil(budgets.elapsedDays)}`, { 'text-anchor': 'middle', class: 'small' }),
    text(m.l, height - 6, '1'),
    text(width - m.r, height - 6, String(budgets.daysInMonth), { 'text-anchor': 'end' }),
  ];
  const runsOut =
    line.projectedUsd > line.budgetUsd
      ? ` · runs out around day ${Math.ceil((line.budgetUsd / line.projectedUsd) * budgets.daysInMonth)}`
      : '';
  const caption = `${line.policy}: spent $${usd(line.spentUsd)} of $${usd(line.budgetUsd)}, projected $${usd(line.projectedUsd)}${runsOut}`;
  return figure(caption, svgRoot(width, height, `Budget burn-down of ${line.consumer}`, body));
}

const PERCENTILES = [
  { key: 'p50', colour: '#56B4E9' },
  { key: 'p95', colour: '#0072B2' },
  { key: 'p99', colour: '#D55E00' },
] as const;

export function latencyChart(groups: GroupSummary[], by: string, limit = 12): string {
  const rows = [...groups]
    .filter((g) => g.requests > 0)
    .sort((a, b) => b.requests - a.requests)
    .slice(0, limit);
  if (rows.length === 0) return figure('Latency: no records.', '');
  if (by === 'day') rows.sort((a, b) => (a.key < b.key ? -1 : 1));
  const m = { l: 170, r: 70, t: 8, b: 24 };
  const rowH = 40;
  const height = m.t + m.b + rows.length * rowH;
  const max = Math.max(...rows.map((g) => g.latencyMs.p99 ?? 0));
  const scale = ticks(max, 6);
  const top = scale[scale.length - 1]!;
  const x = (ms: number): number => m.l + (ms / top) * (WIDTH - m.l - m.r);
  const body = scale.flatMap((v) => [
    el('line', { x1: x(v), x2: x(v), y1: m.t, y2: height - m.b, class: 'grid' }),
    text(x(v), height - 8, `${millis(v)} ms`, { 'text-anchor': 'middle' }),
  ]);
  rows.forEach((g, i) => {
    const y0 = m.t + i * rowH + 4;
    body.push(text(m.l - 8, y0 + 20, truncate(g.key, 26), { 'text-anchor': 'end' }));
    PERCENTILES.forEach((p, j) => {
      const ms = g.latencyMs[p.key] ?? 0;
      body.push(
        el(
          'rect',
          { x: m.l, y: y0 + j * 11, width: Math.max(1, x(ms) - m.l), height: 10, fill: p.colour },
          title(`${g.key} ${p.key}: ${millis(ms)} ms`),
        ),
      );
    });
    body.push(text(x(g.latencyMs.p99 ?? 0) + 6, y0 + 31, `p99 ${millis(g.latencyMs.p99)} ms`, { class: 'small' }));
  });
  const series = PERCENTILES.map((p) => ({ name: p.key, colour: p.colour }));
  return figure(
    `Latency percentiles by ${by} (top ${rows.length} by requests; estimates within ±1%)`,
    svgRoot(WIDTH, height, 'Latency percentiles', body),
    legend(series),
  );
}

function dayRange(first: string, last: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(first); t <= Date.parse(last); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

const truncate = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const round = (n: number): number => Math.round(n * 100) / 100;
