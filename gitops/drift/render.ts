// Drift reports: text for people, JSON for tools.
import { describeField, fieldSymbol } from '../plan/describe.ts';
import type { DriftResult } from './check.ts';

const WORDS = { missing: 'missing   (built, not deployed)', changed: 'changed', unexpected: 'unexpected (deployed, not built)' } as const;

export function renderDriftText(result: DriftResult): string {
  const out: string[] = [];
  for (const d of result.errors) out.push(`${d.file}:${d.line}:${d.column} ${d.ruleId}: ${d.message}`);
  if (result.errors.length > 0) return `${out.join('\n')}\n${result.environment} has errors: nothing to compare.\n`;
  if (result.items.length === 0) return `No drift: ${result.against} matches a build of ${result.environment}.\n`;
  out.push(`Drift of ${result.environment} in ${result.against} (deployed → built):`, '');
  for (const item of result.items) {
    out.push(`  ${item.target} ${item.id}: ${WORDS[item.status]}`);
    for (const f of item.fields ?? []) out.push(`      ${fieldSymbol(f)} ${describeField(f)}`);
  }
  for (const item of result.items) if (item.diff) out.push('', item.diff.trimEnd());
  const count = (status: string) => result.items.filter((i) => i.status === status).length;
  out.push('', `Drift: ${count('changed')} changed, ${count('missing')} missing, ${count('unexpected')} unexpected.`);
  return `${out.join('\n')}\n`;
}

export function renderDriftJson(result: DriftResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
