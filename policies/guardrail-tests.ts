// The test cases of Guardrails with a built-in checker, run offline with the checker the gateway runs: by the
// `guardrail-tests-pass` rule (validate) and by `modelgate policy test`.
import { buildCheck } from '../compiler/ir/guardrails.ts';
import type { DocPath, Resource } from '../kernel/resource.ts';
import { type BuiltInChecker, builtInChecker } from '../kernel/guardrail-checks.ts';
import type { GuardrailTest } from '../schema/types.ts';

export interface GuardrailCaseResult {
  index: number;
  expected: GuardrailTest['expect'];
  actual: GuardrailTest['expect'];
  ok: boolean;
  /** Why it failed, and the node of the case at fault. */
  failure?: { message: string; path: DocPath };
}

/** The results of a guardrail's cases; none for a remote checker (its service is needed) or an unsafe pattern. */
export function runGuardrailCases(guardrail: Resource<'Guardrail'>): GuardrailCaseResult[] {
  const spec = guardrail.value.spec;
  if (!spec.tests?.length) return [];
  const check = buildCheck(spec.check);
  if (check.type === 'moderation' || check.type === 'presidio' || check.type === 'webhook') return [];
  let checker: BuiltInChecker;
  try {
    checker = builtInChecker(check);
  } catch {
    return []; // an unsafe pattern: redaction-regex-safe reports it
  }
  const action = spec.action ?? 'block';
  return spec.tests.map((test, index): GuardrailCaseResult => {
    const categories = checker.find(test.input);
    const actual: GuardrailTest['expect'] = categories.length === 0 ? 'allow' : action === 'mask' && !checker.mask ? 'block' : action;
    const base = { index, expected: test.expect, actual };
    if (actual !== test.expect) {
      const found = categories.length ? ` (${categories.join(', ')})` : '';
      const message = `Test ${index + 1} of guardrail ${guardrail.name} expects ${test.expect}, the checker gives ${actual}${found}.`;
      return { ...base, ok: false, failure: { message, path: ['spec', 'tests', index, 'expect'] } };
    }
    const masked = actual === 'mask' && test.output !== undefined ? checker.mask!(test.input) : undefined;
    if (masked !== undefined && masked !== test.output) {
      const message = `Test ${index + 1} of guardrail ${guardrail.name} expects another masked text than the checker writes: ${JSON.stringify(masked)}.`;
      return { ...base, ok: false, failure: { message, path: ['spec', 'tests', index, 'output'] } };
    }
    return { ...base, ok: true };
  });
}
