// `modelgate policy test`: runs each Policy's `spec.tests` cases (a resource + the expected verdict), like
// `conftest verify` and `kyverno test`, and each Guardrail's (a text + the expected verdict, built-in checkers).
// Pure: the CLI loads the repo and prints the results.
import type { Diagnostic, Location } from '../kernel/diagnostics.ts';
import type { AnyResource, DocPath, Resource } from '../kernel/resource.ts';
import type { GuardrailTest, PolicyTestCase } from '../schema/types.ts';
import { runGuardrailCases } from './guardrail-tests.ts';
import { compilePolicy, type CompiledPolicy } from './policy-documents/compile-policy.ts';
import { checkResource } from './policy-documents/evaluate.ts';
import { SELECTABLE_KINDS } from './policy-documents/selector.ts';

export type Verdict = PolicyTestCase['expect'];

export interface PolicyTestDetail {
  message: string;
  /** Where in the Policy's file, when the detail is a finding. */
  at?: Location;
}

export interface PolicyTestResult {
  /** The Policy's (or Guardrail's) file, relative to the config root. */
  file: string;
  /** The Policy's name, or `Guardrail/<name>`. */
  policy: string;
  name: string;
  /** A Policy's verdict (`pass`, `fail`, `skip`), or a Guardrail's (`allow`, `block`, `mask`, `flag`). */
  expected: Verdict | GuardrailTest['expect'];
  /** Undefined when the case could not run (invalid policy or test resource). */
  actual?: Verdict | GuardrailTest['expect'];
  ok: boolean;
  /** Why it failed: the violations found, or what kept it from running. */
  details: PolicyTestDetail[];
  /** The test case inside the Policy's file. */
  location: Location;
}

/** Checks a resource against its kind's schema, as the compiler would (e.g. compiler/validate). */
export type ResourceValidator = (resource: AnyResource) => Diagnostic[];

export function runPolicyTests(resources: readonly AnyResource[], validate?: ResourceValidator): PolicyTestResult[] {
  const results: PolicyTestResult[] = [];
  for (const doc of resources) {
    if (doc.kind === 'Guardrail') results.push(...guardrailResults(doc));
    if (doc.kind !== 'Policy' || !doc.value.spec.tests?.length) continue;
    const { policy, diagnostics } = compilePolicy(doc);
    doc.value.spec.tests.forEach((testCase, i) => {
      const base = {
        file: doc.file,
        policy: doc.name,
        name: testCase.name,
        expected: testCase.expect,
        location: doc.locate(['spec', 'tests', i, 'name']),
      };
      const prepared = policy
        ? caseTarget(doc, i, testCase, validate)
        : { problems: [note('the policy is invalid:'), ...diagnostics.map(detail)] };
      const outcome = 'target' in prepared ? runCase(policy!, prepared.target, testCase) : { ok: false, details: prepared.problems };
      results.push({ ...base, ...outcome });
    });
  }
  return results;
}

function runCase(
  policy: CompiledPolicy,
  target: AnyResource,
  testCase: PolicyTestCase,
): Pick<PolicyTestResult, 'actual' | 'ok' | 'details'> {
  const verdict = checkResource(policy, target, testCase.environment);
  const actual: Verdict = !verdict ? 'skip' : verdict.diagnostics.length ? 'fail' : 'pass';
  if (actual === testCase.expect) return { actual, ok: true, details: [] };
  const details =
    actual === 'fail'
      ? verdict!.diagnostics.map(detail)
      : actual === 'skip'
        ? [
            note(
              `the policy does not select ${target.id}${testCase.environment ? ` in environment ${testCase.environment}` : ''} (see match/exclude)`,
            ),
          ]
        : [note(`no violation found in ${target.id}`)];
  return { actual, ok: false, details: [note(`expected ${testCase.expect}, got ${actual}`), ...details] };
}

/** The case's resource, located inside the Policy's file; or why it cannot be used. */
function caseTarget(
  policy: Resource<'Policy'>,
  i: number,
  testCase: PolicyTestCase,
  validate?: ResourceValidator,
): { target: AnyResource } | { problems: PolicyTestDetail[] } {
  const value = testCase.resource as { kind?: unknown; metadata?: { name?: unknown } };
  const kind = value.kind;
  const name = value.metadata?.name;
  if (typeof kind !== 'string' || !(SELECTABLE_KINDS as readonly string[]).includes(kind)) {
    return { problems: [note(`the test resource needs a \`kind\`, one of ${SELECTABLE_KINDS.join(', ')}`)] };
  }
  if (typeof name !== 'string') return { problems: [note('the test resource needs `metadata.name`')] };
  const prefix: DocPath = ['spec', 'tests', i, 'resource'];
  const target = {
    kind,
    name,
    id: `${kind}/${name}`,
    value,
    file: policy.file,
    docIndex: policy.docIndex,
    locate: (path: DocPath, at?: 'value' | 'key') => policy.locate([...prefix, ...path], at),
  } as unknown as AnyResource;
  const invalid = validate?.(target) ?? [];
  return invalid.length ? { problems: [note(`the test resource is not a valid ${kind}:`), ...invalid.map(detail)] } : { target };
}

/** A guardrail's cases as test results, named by their number and the start of their input. */
function guardrailResults(doc: Resource<'Guardrail'>): PolicyTestResult[] {
  return runGuardrailCases(doc).map(({ index, expected, actual, ok, failure }) => {
    const input = doc.value.spec.tests![index]!.input;
    return {
      file: doc.file,
      policy: `Guardrail/${doc.name}`,
      name: `case ${index + 1}: ${input.length > 40 ? `${input.slice(0, 40)}…` : input}`,
      expected,
      actual,
      ok,
      details: failure ? [{ message: failure.message, at: doc.locate(failure.path) }] : [],
      location: doc.locate(['spec', 'tests', index, 'input']),
    };
  });
}

const note = (message: string): PolicyTestDetail => ({ message });

function detail(d: Diagnostic): PolicyTestDetail {
  const { file, line, column, endLine, endColumn } = d;
  return { message: d.hint ? `${d.message} (hint: ${d.hint})` : d.message, at: { file, line, column, endLine, endColumn } };
}
