// Every rule a run can report under, as reports describe them: the compiler's own (kernel/rule-registry.ts), the
// built-in lint rules (each module says what it requires and why) and the run's Policy documents.
import type { AnyResource, Resource } from '../kernel/resource.ts';
import { coreRules, type RuleInfo } from '../kernel/rule-registry.ts';
import { SCHEMA_DEFAULTS } from '../schema/values.ts';
import type { Rule } from './rule.ts';
import { BUILTIN_RULES } from './rules/index.ts';

const builtinInfo = (rule: Rule): RuleInfo => ({
  id: rule.id,
  title: rule.description,
  help: rule.rationale,
  defaultSeverity: rule.defaultSeverity,
});

const policyInfo = (policy: Resource<'Policy'>): RuleInfo => ({
  id: policy.name,
  title: policy.value.metadata.description ?? `Policy ${policy.name} of this config repo.`,
  help: `An organisation policy: ${policy.file} says what it asserts.`,
  defaultSeverity: policy.value.spec.severity ?? SCHEMA_DEFAULTS.Policy['spec.severity'],
});

/** The rules of a run over `resources` (schema-valid ones: their Policies are run), each id once. */
export function ruleRegistry(resources: readonly AnyResource[]): RuleInfo[] {
  const policies = resources.filter((r): r is Resource<'Policy'> => r.kind === 'Policy');
  const byId = new Map<string, RuleInfo>();
  // A Policy named like a built-in rule is refused, not run: the built-in rule keeps the id.
  for (const rule of [...coreRules(), ...BUILTIN_RULES.map(builtinInfo), ...policies.map(policyInfo)]) {
    if (!byId.has(rule.id)) byId.set(rule.id, rule);
  }
  return [...byId.values()];
}
