// Machine report: every finding (suppressed ones too, with their waiver) in a fixed key order.
import type { Diagnostic } from '../../kernel/diagnostics.ts';
import { VERSION } from '../../kernel/version.ts';
import { checkedFiles, summarize } from './summary.ts';

const KEY_ORDER = [
  'ruleId',
  'severity',
  'message',
  'file',
  'line',
  'column',
  'endLine',
  'endColumn',
  'resource',
  'environment',
  'hint',
  'suppressed',
] as const;

export function formatJson(diagnostics: readonly Diagnostic[], filesChecked: readonly string[]): string {
  const report = {
    tool: { name: 'modelgate', version: VERSION },
    summary: summarize(diagnostics, filesChecked),
    filesChecked: checkedFiles(diagnostics, filesChecked),
    diagnostics: diagnostics.map(ordered),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}

function ordered(d: Diagnostic): Partial<Diagnostic> {
  const out: Record<string, unknown> = {};
  for (const key of KEY_ORDER) if (d[key] !== undefined) out[key] = d[key];
  if (d.suppressed) out.suppressed = { exception: d.suppressed.exception, owner: d.suppressed.owner, reason: d.suppressed.reason };
  return out as Partial<Diagnostic>;
}
