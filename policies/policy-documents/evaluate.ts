// Runs Policy documents over one environment's resources: one diagnostic per failing node.
import type { Diagnostic, Severity } from '../../kernel/diagnostics.ts';
import { formatPath } from '../../kernel/paths.ts';
import { namedRuleId } from '../../kernel/rule-registry.ts';
import type { Reads } from '../../kernel/reads.ts';
import type { AnyResource, Resource } from '../../kernel/resource.ts';
import type { RuleLevel } from '../rules-config.ts';
import type { RuleContext } from '../rule.ts';
import { compilePolicy, type CompiledPolicy } from './compile-policy.ts';
import { SELECTABLE_KINDS } from './selector.ts';

export interface ResourceVerdict {
  diagnostics: Diagnostic[];
  /** Why the strict message render failed, if it did. */
  messageProblem?: string;
}

/** The policy's findings on one resource; undefined when the policy does not select it. */
export function checkResource(
  policy: CompiledPolicy,
  target: AnyResource,
  environment: string | undefined,
  severity: Severity = policy.severity,
): ResourceVerdict | undefined {
  if (!policy.selects(target, environment)) return undefined;
  const violations = policy.violations(target);
  if (violations.length === 0) return { diagnostics: [] };
  const message = policy.message({ resource: target.value, environment });
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const v of violations) {
    const key = formatPath(v.path);
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push({
      ruleId: namedRuleId(policy.name),
      severity,
      message: message.text,
      hint: `Fails \`${v.detail}\`.`,
      resource: target.id,
      ...target.locate(v.path),
    });
  }
  return { diagnostics, messageProblem: message.problem };
}

/** Every Policy of the environment; a Policy named like a built-in rule is refused, not run. */
export function runPolicyDocuments(
  ctx: RuleContext,
  levels: ReadonlyMap<string, RuleLevel>,
  builtinIds: ReadonlySet<string>,
): Diagnostic[] {
  return withMessageWarnings(policyDocumentFindings(ctx, levels, builtinIds), ctx.byKind('Policy'));
}

/** What Policy documents read besides the resource they check: the Policies themselves. */
export const POLICY_DOCUMENT_READS: Reads = { kinds: ['Policy'] };

/**
 * The findings of every Policy, each on the resource it is about: a message that could not be rendered for a
 * target is noted on that target (`MESSAGE_PROBLEM`), for `withMessageWarnings` to report once per Policy.
 */
export function policyDocumentFindings(
  ctx: RuleContext,
  levels: ReadonlyMap<string, RuleLevel>,
  builtinIds: ReadonlySet<string>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const doc of ctx.byKind('Policy')) {
    if (builtinIds.has(doc.name)) {
      out.push(invalidName(doc));
      continue;
    }
    const level = levels.get(doc.name);
    if (level === 'off') continue;
    const { policy, diagnostics } = compilePolicy(doc);
    out.push(...diagnostics);
    if (!policy) continue;
    for (const kind of policy.kinds ?? SELECTABLE_KINDS) {
      for (const target of ctx.byKind(kind) as readonly AnyResource[]) {
        const verdict = checkResource(policy, target, ctx.environment.name, level ?? policy.severity);
        if (!verdict) continue;
        out.push(...verdict.diagnostics);
        if (verdict.messageProblem) out.push(messageProblem(doc, target, verdict.messageProblem));
      }
    }
  }
  return out;
}

const MESSAGE_PROBLEM = 'policy-message-problem';

/** A note, not a finding: `hint` holds the Policy's name and `message` the problem. */
function messageProblem(doc: Resource<'Policy'>, target: AnyResource, problem: string): Diagnostic {
  return {
    ruleId: namedRuleId(MESSAGE_PROBLEM),
    severity: 'warning',
    message: problem,
    hint: doc.name,
    resource: target.id,
    ...doc.locate([]),
  };
}

/**
 * The notes of `policyDocumentFindings` replaced by one warning per Policy, naming the problem of the target
 * first by id (an order that does not depend on the order resources were checked in).
 */
export function withMessageWarnings(findings: readonly Diagnostic[], policies: readonly Resource<'Policy'>[]): Diagnostic[] {
  const first = new Map<string, Diagnostic>();
  const out: Diagnostic[] = [];
  for (const d of findings) {
    if (d.ruleId !== MESSAGE_PROBLEM) out.push(d);
    else {
      const seen = first.get(d.hint!);
      if (!seen || d.resource! < seen.resource! || (d.resource === seen.resource && d.message < seen.message)) first.set(d.hint!, d);
    }
  }
  for (const doc of policies) {
    const problem = first.get(doc.name);
    if (problem) out.push(messageWarning(doc, problem.message));
  }
  return out;
}

function invalidName(doc: Resource<'Policy'>): Diagnostic {
  return {
    ruleId: 'policy-invalid',
    severity: 'error',
    message: `Policy ${doc.name} has the id of a built-in rule; it is not run.`,
    hint: 'Rename the policy: reports, exceptions and severities name rules and policies by the same ids.',
    resource: doc.id,
    ...doc.locate(['metadata', 'name']),
  };
}

function messageWarning(doc: Resource<'Policy'>, problem: string): Diagnostic {
  return {
    ruleId: 'policy-invalid',
    severity: 'warning',
    message: `The message of policy ${doc.name} refers to a value some resource lacks (${problem}); it was rendered without it.`,
    hint: 'Wrap optional values in {{#if}} ... {{/if}}.',
    resource: doc.id,
    ...doc.locate(['spec', 'message']),
  };
}
