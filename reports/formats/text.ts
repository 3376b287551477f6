// Human report: findings grouped by file as `file:line:col  severity  message  [rule]`, then a summary line.
import type { Diagnostic, Severity } from '../../kernel/diagnostics.ts';
import { plural, summarize } from './summary.ts';

type Paint = (code: string, text: string) => string;

const ANSI = { red: '31', yellow: '33', blue: '34', green: '32', dim: '2', bold: '1' } as const;

export function formatText(diagnostics: readonly Diagnostic[], filesChecked: readonly string[], color: boolean): string {
  const paint: Paint = color ? (code, text) => `\x1b[${code}m${text}\x1b[0m` : (_code, text) => text;
  const groups = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    const group = groups.get(d.file);
    if (group) group.push(d);
    else groups.set(d.file, [d]);
  }
  const blocks = [...groups.values()].map((group) => formatGroup(group, paint));
  return `${[...blocks, summaryLine(diagnostics, filesChecked, paint)].join('\n\n')}\n`;
}

const SEVERITY_COLOR: Record<Severity, string> = { error: ANSI.red, warning: ANSI.yellow, info: ANSI.blue };

function formatGroup(group: Diagnostic[], paint: Paint): string {
  const where = (d: Diagnostic) => `${d.file}:${d.line}:${d.column}`;
  // A fold, not Math.max(...): a file can hold more findings than a call takes arguments.
  const whereWidth = group.reduce((width, d) => Math.max(width, where(d).length), 0);
  const severityWidth = group.reduce((width, d) => Math.max(width, d.severity.length), 0);
  const lines: string[] = [];
  for (const d of group) {
    const severity = d.severity.padEnd(severityWidth);
    const env = d.environment ? ` (env ${d.environment})` : '';
    const head = `${where(d).padEnd(whereWidth)}  ${d.suppressed ? severity : paint(SEVERITY_COLOR[d.severity], severity)}  ${d.message}  [${d.ruleId}]${env}`;
    const indent = ' '.repeat(whereWidth + 2);
    const details = [
      ...(d.hint ? [`${indent}hint: ${d.hint}`] : []),
      ...(d.suppressed ? [`${indent}suppressed by ${d.suppressed.exception} (owner ${d.suppressed.owner}): ${d.suppressed.reason}`] : []),
    ];
    const entry = [head, ...details].join('\n');
    lines.push(d.suppressed ? paint(ANSI.dim, entry) : entry);
  }
  return lines.join('\n');
}

function summaryLine(diagnostics: readonly Diagnostic[], filesChecked: readonly string[], paint: Paint): string {
  const s = summarize(diagnostics, filesChecked);
  const suppressed = s.suppressed ? `, ${s.suppressed} suppressed` : '';
  if (s.errors + s.warnings + s.infos === 0) {
    return paint(ANSI.green, `✔ No problems in ${plural(s.filesChecked, 'file')}${suppressed}`);
  }
  const counts = [plural(s.errors, 'error'), plural(s.warnings, 'warning'), ...(s.infos ? [`${s.infos} info`] : [])];
  const line = `✖ ${counts.join(', ')} in ${plural(s.filesWithFindings, 'file')}${suppressed}`;
  return paint(ANSI.bold, paint(s.errors ? ANSI.red : ANSI.yellow, line));
}
