// Public entry of the policy engine: built-in rules, Policy documents and PolicyExceptions over one environment.
import type { EnvironmentInfo } from '../compiler/environments/apply.ts';
import { sortDiagnostics, type Diagnostic } from '../kernel/diagnostics.ts';
import type { AnyResource } from '../kernel/resource.ts';
import { createRuleContext } from './context.ts';
import { applyExceptions } from './exceptions.ts';
import { runPolicyDocuments } from './policy-documents/evaluate.ts';
import { BUILTIN_RULES } from './rules/index.ts';
import { noLiteralCredentials } from './rules/no-literal-credentials.ts';
import { EMPTY_RULES_CONFIG, resolveRuleLevels, type RulesConfig } from './rules-config.ts';
import { runRules } from './run-rules.ts';

export { BUILTIN_RULES } from './rules/index.ts';
export { loadRulesConfig } from './load-rules-config.ts';
export { ruleRegistry } from './rule-registry.ts';
export type { RuleLevel, RuleSetting, RulesConfig } from './rules-config.ts';
export type { Finding, Rule, RuleContext } from './rule.ts';

export interface PolicyInput {
  environment: EnvironmentInfo;
  /** Effective resources of that environment (after overlays), every kind incl. Policy and PolicyException. */
  resources: readonly AnyResource[];
  /** From modelgate.config.yaml, loaded at the CLI edge with `loadRulesConfig`. */
  config?: RulesConfig;
  /** YYYY-MM-DD (UTC) against which exception expiry is judged; today when omitted. */
  today?: string;
}

const BUILTIN_IDS: ReadonlySet<string> = new Set(BUILTIN_RULES.map((r) => r.id));

/** Rules and Policy documents with severities applied, then exceptions (waived findings marked `suppressed`). */
export function runPolicies(input: PolicyInput): Diagnostic[] {
  const ctx = createRuleContext(input.resources, input.environment);
  const known = new Set([...BUILTIN_IDS, ...ctx.byKind('Policy').map((p) => p.name)]);
  const { levels, diagnostics } = resolveRuleLevels(
    input.config ?? EMPTY_RULES_CONFIG,
    ctx.environment.name,
    ctx.byKind('Environment'),
    known,
  );
  const findings = [...runRules(BUILTIN_RULES, ctx, levels), ...runPolicyDocuments(ctx, levels, BUILTIN_IDS)];
  const today = input.today ?? new Date().toISOString().slice(0, 10);
  return sortDiagnostics([...diagnostics, ...applyExceptions(findings, ctx.byKind('PolicyException'), ctx.environment.name, today, known)]);
}

/**
 * The credential scan alone, for resources that failed schema validation and so skip every other rule:
 * a key pasted where a reference belongs must be reported as a leaked key, not only as a malformed field.
 */
export function scanForCredentials(resources: readonly AnyResource[], environment: EnvironmentInfo): Diagnostic[] {
  return runRules([noLiteralCredentials], createRuleContext(resources, environment), new Map());
}
