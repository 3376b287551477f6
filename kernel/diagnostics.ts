// The one finding shape shared by the loader, schema validation, references, lint rules, policies and targets.
import type { RuleId, Severity } from './rule-registry.ts';

export type { Severity } from './rule-registry.ts';

/** A 1-based span in a file whose path is relative to the config root (POSIX separators). */
export interface Location {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface Suppression {
  /** `kind/name` of the PolicyException that waives the finding. */
  exception: string;
  owner: string;
  reason: string;
}

export interface Diagnostic extends Location {
  /** A core rule (`schema`, `yaml-syntax`, `reference`, ...), a built-in rule id or a Policy name. */
  ruleId: RuleId;
  severity: Severity;
  message: string;
  /** `kind/name` of the resource the finding is about, when there is one. */
  resource?: string;
  /** What to do about it. */
  hint?: string;
  /** Environment whose effective config produced the finding. */
  environment?: string;
  /** Set when a PolicyException waives the finding; it then no longer counts as an error. */
  suppressed?: Suppression;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error' && !d.suppressed);
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Stable order for reports: by file, position, then rule, message and the other fields. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0) ||
      tieBreak(a, b),
  );
}

/**
 * The remaining fields, so that the order never depends on the order found: an incremental compile assembles
 * findings kept from earlier rounds in another order than a compile from scratch.
 */
function tieBreak(a: Diagnostic, b: Diagnostic): number {
  const rest = (d: Diagnostic) => [
    d.endLine,
    d.endColumn,
    d.resource ?? '',
    d.hint ?? '',
    d.environment ?? '',
    d.suppressed?.exception ?? '',
  ];
  const [x, y] = [rest(a), rest(b)];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return 0;
}
