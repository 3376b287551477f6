// Words and symbols shared by the text and markdown renderers, so both say the same thing the same way.
import type { Diagnostic } from '../../kernel/diagnostics.ts';
import type { ChangeAction, EnvironmentPlan, FieldChange } from './types.ts';
import { formatPath } from './value-diff.ts';

export const ACTION_SYMBOL: Record<ChangeAction, string> = { add: '+', change: '~', destroy: '-' };
const FIELD_SYMBOL: Record<FieldChange['op'], string> = { add: '+', change: '~', remove: '-', reorder: '~' };

const MAX_VALUE_CHARS = 120;

/** A value as one line: JSON, cut in the middle when long (the artifact diff has the whole of it). */
export function formatValue(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  if (text.length <= MAX_VALUE_CHARS) return text;
  const half = (MAX_VALUE_CHARS - 1) / 2;
  return `${text.slice(0, Math.ceil(half))}…${text.slice(-Math.floor(half))}`;
}

export function fieldSymbol(field: FieldChange): string {
  return FIELD_SYMBOL[field.op];
}

/**
 * `spec.targets[0].weight: 80 → 60`, `spec.route: "chat"`, `spec.fallbacks order: [...] → [...]`, and for a list of
 * plain values (aliases, granted routes) what went in and out: `spec.aliases: +"claude-opus-*" -"gpt-4o"`.
 */
export function describeField(field: FieldChange): string {
  const path = formatPath(field.path) || '(whole resource)';
  switch (field.op) {
    case 'add':
      return `${path}: ${formatValue(field.after)}`;
    case 'remove':
      return `${path}: ${formatValue(field.before)}`;
    case 'change':
      return `${path}: ${listDelta(field.before, field.after) ?? `${formatValue(field.before)} → ${formatValue(field.after)}`}`;
    case 'reorder':
      return `${path} order: ${formatValue(field.before)} → ${formatValue(field.after)}`;
  }
}

/** `+"a" -"b"` for two lists of plain values that differ in members; undefined otherwise (or for a new order only). */
function listDelta(before: unknown, after: unknown): string | undefined {
  const plain = (v: unknown): v is unknown[] => Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object');
  if (!plain(before) || !plain(after)) return undefined;
  const added = after.filter((x) => !before.includes(x)).map((x) => `+${formatValue(x)}`);
  const removed = before.filter((x) => !after.includes(x)).map((x) => `-${formatValue(x)}`);
  return added.length + removed.length > 0 ? [...added, ...removed].join(' ') : undefined;
}

export function summaryLine(plan: EnvironmentPlan): string {
  const { add, change, destroy } = plan.summary;
  return `Plan: ${add} to add, ${change} to change, ${destroy} to destroy.`;
}

export function whereOf(d: Diagnostic): string {
  return d.file ? `${d.file}:${d.line}:${d.column}` : '';
}

/** `3 files in node, envoy (+12 -4)`. */
export function artifactSummary(plan: EnvironmentPlan): string | undefined {
  const changes = plan.artifacts;
  if (!changes || changes.length === 0) return undefined;
  const targets = [...new Set(changes.map((c) => c.target))].join(', ');
  const added = changes.reduce((n, c) => n + c.added, 0);
  const removed = changes.reduce((n, c) => n + c.removed, 0);
  return `${changes.length} file${changes.length === 1 ? '' : 's'} in ${targets} (+${added} -${removed})`;
}

/** `routes/chat.yaml:12`, or the file alone when the line is unknown. */
export function changeLocation(change: { file: string; line?: number }): string {
  return change.line ? `${change.file}:${change.line}` : change.file;
}

/** `1 error stops`, `2 errors stop`: the sentence head before an environment's name. */
export function errorsHead(count: number): string {
  return count === 1 ? '1 error stops' : `${count} errors stop`;
}

/** A plan of errors only: the head's files do not load, so neither resources nor artifacts could be compared. */
export function isUnplanned(plan: EnvironmentPlan): boolean {
  return !plan.resources && !plan.artifacts && plan.errors.length > 0;
}
