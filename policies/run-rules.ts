// Runs the built-in rules that are on in this environment and turns their findings into diagnostics.
import type { Diagnostic } from '../kernel/diagnostics.ts';
import { namedRuleId } from '../kernel/rule-registry.ts';
import type { RuleLevel } from './rules-config.ts';
import type { Rule, RuleContext } from './rule.ts';

export function runRules(rules: readonly Rule[], ctx: RuleContext, levels: ReadonlyMap<string, RuleLevel>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const rule of rules) {
    if (rule.tiers && !rule.tiers.includes(ctx.environment.tier)) continue;
    const level = levels.get(rule.id) ?? rule.defaultSeverity;
    if (level === 'off') continue;
    for (const f of rule.check(ctx)) {
      out.push({
        ruleId: namedRuleId(rule.id),
        severity: level,
        message: f.message,
        ...(f.hint === undefined ? {} : { hint: f.hint }),
        resource: f.resource.id,
        ...f.resource.locate(f.path),
      });
    }
  }
  return out;
}
