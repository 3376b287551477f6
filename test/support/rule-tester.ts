// ESLint's RuleTester for our rules: each case runs one rule through the real runner (`runRules`) over resources
// loaded from YAML, and must produce exactly the expected findings, in order: no more, no fewer; and the same
// findings on each resource when run over that resource and the kinds the rule declares it reads, and the same
// findings in another environment (the engine reuses a rule's findings across environments).
import { describe, expect, it } from 'vitest';
import type { EnvironmentInfo } from '../../compiler/environments/apply.ts';
import type { Diagnostic } from '../../kernel/diagnostics.ts';
import { formatPath } from '../../kernel/paths.ts';
import type { AnyResource } from '../../kernel/resource.ts';
import type { Kind } from '../../schema/kinds.ts';
import { createRuleContext } from '../../policies/context.ts';
import type { Rule } from '../../policies/rule.ts';
import { runRules } from '../../policies/run-rules.ts';
import { resourcesFrom } from './policy-resources.ts';

export interface RuleTestCase {
  /** The test's title: what the case shows. */
  name: string;
  /** One file of resource documents (see `doc`), or `resources` already loaded. */
  yaml?: string;
  resources?: readonly AnyResource[];
  /** By default the first tier the rule runs in (`development` for rules of every tier), so that it runs. */
  environment?: EnvironmentInfo;
}

export interface ExpectedError {
  /** The rule's own id when omitted. */
  ruleId?: string;
  /** The whole message, or a pattern it must match. */
  message: string | RegExp;
  line: number;
  column: number;
  /** The file the finding points into (`file0.yaml`, `file1.yaml`, ... for `resourcesFrom(...files)`); checked when given. */
  file?: string;
  /** The failing node, dotted (`spec.targets[1]`); checked when given. */
  path?: string;
  /** `kind/name` of the resource; checked when given. */
  resource?: string;
}

export interface InvalidCase extends RuleTestCase {
  errors: ExpectedError[];
}

/** A finding as the runner reports it, plus the dotted path of the node the rule pointed at. */
export interface RuleDiagnostic extends Diagnostic {
  path: string;
}

/** The diagnostics of one rule on one case: for checks a table cannot express. */
export function ruleDiagnostics(rule: Rule, testCase: RuleTestCase): RuleDiagnostic[] {
  if ((testCase.yaml === undefined) === (testCase.resources === undefined))
    throw new Error(`case "${testCase.name}": give either yaml or resources`);
  const resources = testCase.resources ?? resourcesFrom(testCase.yaml!);
  const tier = rule.tiers?.[0] ?? 'development';
  const environment = testCase.environment ?? { name: tier, tier };
  const ctx = createRuleContext(resources, environment);
  // The runner turns each finding into one diagnostic, in order; the path is the only thing it drops.
  const paths: string[] = [];
  const traced: Rule = {
    ...rule,
    *check(c) {
      for (const finding of rule.check(c)) {
        paths.push(formatPath(finding.path));
        yield finding;
      }
    },
  };
  const found = runRules([traced], ctx, new Map());
  expectReadsDeclared(rule, resources, environment, found);
  expectEnvironmentUnread(rule, resources, environment);
  return found.map((d, i) => ({ ...d, path: paths[i]! }));
}

/**
 * Fails unless the rule's `reads` says all its findings on a resource read: run over that resource and the kinds
 * it declares, the rule must find on it what it finds over every resource (what the language server relies on).
 */
function expectReadsDeclared(rule: Rule, resources: readonly AnyResource[], environment: EnvironmentInfo, found: Diagnostic[]): void {
  const { kinds, parts = {}, on } = rule.reads;
  const reported = found.map((d) => d.resource!.split('/')[0]!).filter((kind) => on && !on.includes(kind as Kind));
  expect(reported, `${rule.id} reports on kinds it does not declare in reads.on`).toEqual([]);
  if (kinds === 'all') return;
  const read = [...kinds, ...Object.keys(parts)];
  for (const resource of resources) {
    const beside = resources.filter((r) => r !== resource && read.includes(r.kind));
    const alone = runRules([rule], createRuleContext([resource, ...beside], environment), new Map());
    expect(
      alone.filter((d) => d.resource === resource.id),
      `${rule.id} reads more than its declared reads (${read.join(', ') || 'the resource itself'}) to check ${resource.id}`,
    ).toEqual(found.filter((d) => d.resource === resource.id));
  }
}

const TIERS: readonly EnvironmentInfo['tier'][] = ['production', 'staging', 'testing', 'development', 'other'];

/**
 * Fails unless the rule finds the same in an environment of another name and tier (one it runs in): a compile of
 * every environment keeps each rule's findings on the resources an overlay leaves alone (pipeline/compile.ts).
 */
function expectEnvironmentUnread(rule: Rule, resources: readonly AnyResource[], environment: EnvironmentInfo): void {
  const tier = (rule.tiers ?? TIERS).find((t) => t !== environment.tier) ?? environment.tier;
  const findings = (env: EnvironmentInfo) =>
    [...rule.check(createRuleContext(resources, env))].map((f) => ({ ...f, resource: f.resource.id }));
  expect(
    findings({ name: `${environment.name}-elsewhere`, tier }),
    `${rule.id} finds something else in environment ${tier}: its findings must depend on the resources alone`,
  ).toEqual(findings(environment));
}

/** The fields of `actual` that `expected` checks (all of them for a finding nobody expected), to diff as one. */
function shown(actual: RuleDiagnostic, expected: ExpectedError | undefined): Record<string, unknown> {
  const { ruleId, message, file, line, column, path, resource } = actual;
  return {
    ruleId,
    message,
    ...(!expected || expected.file !== undefined ? { file } : {}),
    line,
    column,
    ...(!expected || expected.path !== undefined ? { path } : {}),
    ...(!expected || expected.resource !== undefined ? { resource } : {}),
  };
}

function wanted(rule: Rule, e: ExpectedError): Record<string, unknown> {
  return { ...e, ruleId: e.ruleId ?? rule.id, message: typeof e.message === 'string' ? e.message : expect.stringMatching(e.message) };
}

/** Fails unless the rule finds nothing in the case. */
export function expectValid(rule: Rule, c: RuleTestCase): void {
  expect(ruleDiagnostics(rule, c).map((d) => shown(d, undefined))).toEqual([]);
}

/** Fails unless the rule finds exactly `errors`, in order. */
export function expectInvalid(rule: Rule, c: InvalidCase): void {
  expect(c.errors.length, `case "${c.name}" expects no error: it belongs in valid`).toBeGreaterThan(0);
  expect(ruleDiagnostics(rule, c).map((d, i) => shown(d, c.errors[i]))).toEqual(c.errors.map((e) => wanted(rule, e)));
}

export const ruleTester = {
  /** One test per case, under `describe(rule.id)`: `valid` cases find nothing, `invalid` ones exactly `errors`. */
  run(rule: Rule, cases: { valid: RuleTestCase[]; invalid: InvalidCase[] }): void {
    describe(rule.id, () => {
      describe('valid', () => {
        for (const c of cases.valid) it(c.name, () => expectValid(rule, c));
      });
      describe('invalid', () => {
        for (const c of cases.invalid) it(c.name, () => expectInvalid(rule, c));
      });
    });
  },
};
