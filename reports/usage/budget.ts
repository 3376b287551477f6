// Month-to-date spend per consumer against the monthly budget of its access policies, projected linearly
// to the end of the month. Budgets are per calendar month (UTC) and consumer, as the gateway enforces them.
import type { IR } from '../../compiler/ir/types.ts';
import { consumersOf } from '../../kernel/subjects.ts';
import { compare, type UsageSummary } from './aggregate.ts';

export type BudgetStatus = 'exceeded' | 'on track to exceed' | 'within budget';

export interface BudgetLine {
  consumer: string;
  /** The policy with the smallest budget among the consumer's: the one that stops it first. */
  policy: string;
  budgetUsd: number;
  spentUsd: number;
  projectedUsd: number;
  status: BudgetStatus;
  /** Spend so far at the end of each day of the month up to the as-of day. */
  cumulative: { day: string; spentUsd: number }[];
}

export interface BudgetReport {
  /** `YYYY-MM` */
  month: string;
  asOf: string;
  elapsedDays: number;
  daysInMonth: number;
  lines: BudgetLine[];
  notes: string[];
}

const DAY_MS = 86_400_000;
const STATUS_ORDER: Record<BudgetStatus, number> = { exceeded: 0, 'on track to exceed': 1, 'within budget': 2 };

export function budgetReport(summary: UsageSummary, ir: IR, asOfMs: number, sinceMs?: number): BudgetReport {
  const asOf = new Date(asOfMs);
  const monthStart = Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth(), 1);
  const daysInMonth = new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth() + 1, 0)).getUTCDate();
  const month = asOf.toISOString().slice(0, 7);
  // Less than a day of data would project wildly: count at least one day.
  const elapsedDays = Math.max(1, (asOfMs - monthStart) / DAY_MS);
  const days = Array.from({ length: asOf.getUTCDate() }, (_, i) => new Date(monthStart + i * DAY_MS).toISOString().slice(0, 10));

  const budgets = new Map<string, { policy: string; budgetUsd: number }>();
  const subjects = consumersOf(ir);
  for (const p of ir.accessPolicies) {
    const budgetUsd = p.limits.monthlyBudgetUsd;
    if (budgetUsd === undefined) continue;
    for (const consumer of subjects(p)) {
      const current = budgets.get(consumer);
      if (!current || budgetUsd < current.budgetUsd) budgets.set(consumer, { policy: p.name, budgetUsd });
    }
  }
  const spentByDay = new Map<string, number>();
  for (const d of summary.daily) if (d.day.startsWith(month)) spentByDay.set(`${d.consumer}\u0000${d.day}`, d.costUsd);

  const lines = [...budgets].map(([consumer, { policy, budgetUsd }]): BudgetLine => {
    let spent = 0;
    const cumulative = days.map((day) => {
      spent += spentByDay.get(`${consumer}\u0000${day}`) ?? 0;
      return { day, spentUsd: round(spent) };
    });
    const projectedUsd = round((spent / elapsedDays) * daysInMonth);
    const status: BudgetStatus = spent > budgetUsd ? 'exceeded' : projectedUsd > budgetUsd ? 'on track to exceed' : 'within budget';
    return { consumer, policy, budgetUsd, spentUsd: round(spent), projectedUsd, status, cumulative };
  });
  lines.sort(
    (a, b) =>
      STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
      b.projectedUsd / b.budgetUsd - a.projectedUsd / a.budgetUsd ||
      compare(a.consumer, b.consumer),
  );
  const notes: string[] = [];
  if (sinceMs !== undefined && sinceMs > monthStart) {
    notes.push(`--since starts after ${month}-01: spend before it is not counted, so month-to-date figures are low.`);
  }
  if (budgets.size === 0) notes.push('No access policy of this config sets monthlyBudgetUsd.');
  return { month, asOf: asOf.toISOString(), elapsedDays: round(elapsedDays), daysInMonth, lines, notes };
}

const round = (n: number): number => Math.round(n * 1e6) / 1e6;
