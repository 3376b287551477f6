// Turns a Policy document into a checker: selectors, assertion or deny conditions, message. Malformed
// parts are reported at their node in the Policy, and such a policy checks nothing.
import type { Diagnostic, Severity } from '../../kernel/diagnostics.ts';
import type { AnyResource, DocPath, Resource } from '../../kernel/resource.ts';
import type { PolicyCondition } from '../../schema/types.ts';
import { SCHEMA_DEFAULTS } from '../../schema/values.ts';
import { compileAssertion } from './assert-schema.ts';
import { compileCondition, type CompiledCondition } from './conditions.ts';
import { compileMessage, type MessageTemplate } from './message.ts';
import { compileSelector, type SelectableKind, type Selects } from './selector.ts';

export interface Violation {
  /** The failing node inside the matched resource. */
  path: DocPath;
  /** What failed there, for the hint. */
  detail: string;
}

export interface CompiledPolicy {
  name: string;
  resource: Resource<'Policy'>;
  severity: Severity;
  kinds: readonly SelectableKind[] | undefined;
  /** Matched and not excluded. */
  selects: Selects;
  violations(target: AnyResource): Violation[];
  message: MessageTemplate;
}

type Compiled = { policy?: CompiledPolicy; diagnostics: Diagnostic[] };

/**
 * Compiled once per Policy resource (a compile checks every environment with the same one, and an editor's
 * compile keeps the resources of files not edited), each policy's verdicts kept per target value: values never
 * change once loaded, and a resource no overlay touches keeps its value in every environment.
 */
const compiledPolicies = new WeakMap<Resource<'Policy'>, Compiled>();

export function compilePolicy(policy: Resource<'Policy'>): Compiled {
  let compiled = compiledPolicies.get(policy);
  if (!compiled) compiledPolicies.set(policy, (compiled = compile(policy)));
  return compiled;
}

function compile(policy: Resource<'Policy'>): Compiled {
  const diagnostics: Diagnostic[] = [];
  const invalid = (path: DocPath, message: string): void => {
    diagnostics.push({
      ruleId: 'policy-invalid',
      severity: 'error',
      message: `Policy ${policy.name}: ${message}`,
      hint: 'The policy checks nothing until this is fixed.',
      resource: policy.id,
      ...policy.locate(path),
    });
  };
  const spec = policy.value.spec;
  const message = compileMessage(spec.message);
  if (typeof message === 'string') invalid(['spec', 'message'], `the message template does not compile: ${message}`);
  const violations = compileCheck(spec, invalid);
  if (diagnostics.length > 0 || typeof message === 'string' || !violations) return { diagnostics };

  const match = compileSelector(spec.match);
  const exclude = spec.exclude ? compileSelector(spec.exclude) : undefined;
  return {
    diagnostics,
    policy: {
      name: policy.name,
      resource: policy,
      severity: spec.severity ?? SCHEMA_DEFAULTS.Policy['spec.severity'],
      kinds: spec.match.kinds,
      selects: (r, env) => match(r, env) && !exclude?.(r, env),
      violations: byValue(violations),
      message,
    },
  };
}

function byValue(check: (r: AnyResource) => Violation[]): (r: AnyResource) => Violation[] {
  const verdicts = new WeakMap<object, Violation[]>();
  return (r) => {
    let found = verdicts.get(r.value);
    if (!found) verdicts.set(r.value, (found = check(r)));
    return found;
  };
}

type Invalid = (path: DocPath, message: string) => void;

function compileCheck(spec: Resource<'Policy'>['value']['spec'], invalid: Invalid): ((r: AnyResource) => Violation[]) | undefined {
  if (spec.assert) {
    const assertion = compileAssertion(spec.assert.schema);
    if (typeof assertion === 'string') return void invalid(['spec', 'assert', 'schema'], `the schema cannot be used: ${assertion}`);
    return (r) => assertion(r.value);
  }
  if (spec.deny) return compileDeny(spec.deny.all, spec.deny.any, invalid);
  return void invalid(['spec'], 'it needs `assert` or `deny`.');
}

function conditions(list: readonly PolicyCondition[] | undefined, key: 'all' | 'any', invalid: Invalid): CompiledCondition[] | undefined {
  let ok = true;
  const compiled = (list ?? []).map((c, i) => {
    const result = compileCondition(c);
    if (typeof result === 'string') {
      ok = false;
      invalid(['spec', 'deny', key, i], result);
    }
    return result as CompiledCondition;
  });
  return ok ? compiled : undefined;
}

/**
 * Violation when every `all` condition holds and, if there are `any` conditions, at least one does.
 * Reported at the nodes where the `any` conditions hold, else where the last `all` condition holds:
 * put the condition about the offending field last.
 */
function compileDeny(
  allList: readonly PolicyCondition[] | undefined,
  anyList: readonly PolicyCondition[] | undefined,
  invalid: Invalid,
): ((r: AnyResource) => Violation[]) | undefined {
  const all = conditions(allList, 'all', invalid);
  const any = conditions(anyList, 'any', invalid);
  if (!all || !any) return undefined;
  return (r) => {
    let last: Violation[] = [];
    for (const c of all) {
      const nodes = c.holdsAt(r.value);
      if (nodes.length === 0) return [];
      last = nodes.map((n) => ({ path: n.path, detail: c.describe }));
    }
    if (any.length === 0) return last;
    return any.flatMap((c) => c.holdsAt(r.value).map((n) => ({ path: n.path, detail: c.describe })));
  };
}
