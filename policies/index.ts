// Public entry of the policy engine: built-in rules, Policy documents and PolicyExceptions over one environment.
import type { EnvironmentInfo } from '../compiler/environments/apply.ts';
import { sortDiagnostics, type Diagnostic } from '../kernel/diagnostics.ts';
import type { IncrementalCheck } from '../kernel/reads.ts';
import type { AnyResource, Resource } from '../kernel/resource.ts';
import { createRuleContext } from './context.ts';
import { applyExceptions } from './exceptions.ts';
import { POLICY_DOCUMENT_READS, policyDocumentFindings, withMessageWarnings } from './policy-documents/evaluate.ts';
import { BUILTIN_RULES } from './rules/index.ts';
import { noLiteralCredentials } from './rules/no-literal-credentials.ts';
import { EMPTY_RULES_CONFIG, resolveRuleLevels, type RulesConfig } from './rules-config.ts';
import type { RuleContext } from './rule.ts';
import { runRules } from './run-rules.ts';
import { withoutUnsureAbsences } from './unsure-absences.ts';

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
  /**
   * Resources left out for their own (schema) errors: exceptions over them are not called unused, and nothing
   * they mention is called unreferenced (`Rule.referredToBy`).
   */
  unchecked?: readonly AnyResource[];
}

const BUILTIN_IDS: ReadonlySet<string> = new Set(BUILTIN_RULES.map((r) => r.id));

/** Rules and Policy documents with severities applied, then exceptions (waived findings marked `suppressed`). */
export function runPolicies(input: PolicyInput): Diagnostic[] {
  const round = policyRound(input);
  return round.finish(round.checks.map((check) => check.run(input.resources)));
}

/** `runPolicies` as checks an incremental engine can run resource by resource, and how to finish their findings. */
export interface PolicyRound {
  /**
   * Each built-in rule that is on, then the Policy documents. A rule's findings depend on its level besides the
   * resources (the rule tester checks that none reads the environment); Policies' on the environment and levels.
   */
  checks: IncrementalCheck[];
  /** The findings of `checks`, in their order, with exceptions applied and sorted: what `runPolicies` returns. */
  finish(found: readonly (readonly Diagnostic[])[]): Diagnostic[];
}

export function policyRound(input: PolicyInput): PolicyRound {
  const { environment, resources } = input;
  // The kinds the run reads itself, in one pass: this runs for every environment of every edit.
  const own: { [K in 'Policy' | 'Environment' | 'PolicyException']: Resource<K>[] } = { Policy: [], Environment: [], PolicyException: [] };
  for (const r of resources) if (r.kind in own) (own[r.kind as keyof typeof own] as AnyResource[]).push(r);
  const policies = own.Policy;
  const known = new Set([...BUILTIN_IDS, ...policies.map((p) => p.name)]);
  const { levels, diagnostics } = resolveRuleLevels(input.config ?? EMPTY_RULES_CONFIG, environment.name, own.Environment, known);
  const today = input.today ?? new Date().toISOString().slice(0, 10);
  const leftOut = input.unchecked ?? [];
  const unchecked = leftOut.map((r) => r.id);
  // Checks given the same scope (every resource, or the same few) share one context and its indexes.
  const contexts = new Map<readonly AnyResource[], RuleContext>();
  const contextOf = (scope: readonly AnyResource[]): RuleContext => {
    let ctx = contexts.get(scope);
    if (!ctx) contexts.set(scope, (ctx = createRuleContext(scope, environment)));
    return ctx;
  };
  const rules = BUILTIN_RULES.filter((rule) => (!rule.tiers || rule.tiers.includes(environment.tier)) && levels.get(rule.id) !== 'off');
  const checks: IncrementalCheck[] = [
    ...rules.map((rule) => ({
      id: rule.id,
      reads: rule.reads,
      key: levels.get(rule.id) ?? '',
      run: (scope: readonly AnyResource[]) => runRules([rule], contextOf(scope), levels),
    })),
    {
      id: 'policy-documents',
      reads: POLICY_DOCUMENT_READS,
      key: JSON.stringify([environment, [...levels]]),
      run: (scope) => policyDocumentFindings(contextOf(scope), levels, BUILTIN_IDS),
    },
  ];
  return {
    checks,
    finish(found) {
      const findings = [
        ...withoutUnsureAbsences(rules, found.slice(0, -1), leftOut).flat(),
        ...withMessageWarnings(found.at(-1) ?? [], policies),
      ];
      return sortDiagnostics([
        ...diagnostics,
        ...applyExceptions(findings, own.PolicyException, environment.name, today, known, unchecked),
      ]);
    },
  };
}

/**
 * The credential scan alone, for resources that failed schema validation and so skip every other rule:
 * a key pasted where a reference belongs must be reported as a leaked key, not only as a malformed field.
 */
export function scanForCredentials(resources: readonly AnyResource[], environment: EnvironmentInfo): Diagnostic[] {
  return runRules([noLiteralCredentials], createRuleContext(resources, environment), new Map());
}
