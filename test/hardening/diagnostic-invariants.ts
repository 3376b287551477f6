// What every diagnostic promises a reader, whatever the input: a real file among the inputs (or `.`, the
// config root) and a position inside it.
import type { Diagnostic } from '../../kernel/diagnostics.ts';
import type { SourceFile } from '../../compiler/load/load-project.ts';

const SEVERITIES = new Set(['error', 'warning', 'info']);
/** Findings about the repo as a whole (a missing Gateway, a target's limits) are reported at the root. */
export const ROOT_FILE = '.';

/** Violations of the location contract, one line each; empty when every diagnostic keeps it. */
export function diagnosticProblems(files: readonly SourceFile[], diagnostics: readonly Diagnostic[]): string[] {
  const lines = new Map(files.map((f) => [f.path, f.text.split('\n').length]));
  const problems: string[] = [];
  for (const d of diagnostics) {
    const where = `${d.ruleId} at ${d.file}:${d.line}:${d.column}`;
    const count = d.file === ROOT_FILE ? 1 : lines.get(d.file);
    if (count === undefined) problems.push(`${where}: file is not one of the inputs`);
    else if (!(d.line >= 1 && d.line <= count + 1 && d.endLine >= d.line && d.endLine <= count + 1)) {
      problems.push(`${where}: lines ${d.line}-${d.endLine} outside 1..${count + 1}`);
    }
    if (!(Number.isInteger(d.column) && d.column >= 1 && Number.isInteger(d.endColumn) && d.endColumn >= 1)) {
      problems.push(`${where}: columns ${d.column}-${d.endColumn} not >= 1`);
    }
    if (!d.ruleId || !d.message || !SEVERITIES.has(d.severity)) problems.push(`${where}: missing rule id, message or severity`);
  }
  return problems;
}
