// The rules a report describes (SARIF): the ones the `rules` report option gives (every rule the run could report
// under: core, built-in and its Policies), the core rules when it gives none, and any other rule a finding names.
import { coreRules, type RuleInfo } from '../../kernel/rule-registry.ts';

export function rulesFor(ruleIds: Iterable<string>, given: readonly RuleInfo[] = []): RuleInfo[] {
  const known = new Map<string, RuleInfo>();
  for (const rule of [...given, ...coreRules()]) if (!known.has(rule.id)) known.set(rule.id, rule);
  for (const id of ruleIds) {
    if (known.has(id)) continue;
    known.set(id, { id, title: `Finding of rule ${id}.`, help: 'A rule this report was not told about.', defaultSeverity: 'warning' });
  }
  return [...known.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
