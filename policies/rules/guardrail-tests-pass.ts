import { buildCheck } from '../../compiler/ir/guardrails.ts';
import { type BuiltInChecker, builtInChecker } from '../../kernel/guardrail-checks.ts';
import type { Rule } from '../rule.ts';

export const guardrailTestsPass: Rule = {
  id: 'guardrail-tests-pass',
  description:
    'The test cases of a Guardrail with a built-in checker (`pii`, `secrets`, `deniedTopics`, `maxSize`) give the verdict they expect.',
  rationale:
    'A guardrail is code that runs on every request: its examples, run on each merge request, show that a changed word list or ' +
    'pattern still catches what it must and lets through what it must not, before it reaches production.',
  defaultSeverity: 'error',
  docs:
    'Each case checks `input` offline with the same checker the gateway runs: `allow` when nothing matches, else the ' +
    "guardrail's `action`; for `mask`, `output` (when given) is the masked text. Cases of remote checkers (`moderation`, " +
    '`presidio`, `webhook`) need their service and are not run.',
  *check(ctx) {
    for (const guardrail of ctx.byKind('Guardrail')) {
      const spec = guardrail.value.spec;
      if (!spec.tests?.length) continue;
      const check = buildCheck(spec.check);
      if (check.type === 'moderation' || check.type === 'presidio' || check.type === 'webhook') continue;
      let checker: BuiltInChecker;
      try {
        checker = builtInChecker(check);
      } catch {
        continue; // an unsafe pattern: redaction-regex-safe reports it
      }
      const action = spec.action ?? 'block';
      for (const [i, test] of spec.tests.entries()) {
        const categories = checker.find(test.input);
        const verdict = categories.length === 0 ? 'allow' : action === 'mask' && !checker.mask ? 'block' : action;
        const found = categories.length ? ` (${categories.join(', ')})` : '';
        if (verdict !== test.expect) {
          yield {
            resource: guardrail,
            path: ['spec', 'tests', i, 'expect'],
            message: `Test ${i + 1} of guardrail ${guardrail.name} expects ${test.expect}, the checker gives ${verdict}${found}.`,
            hint: 'Fix the checker (words, detectors, patterns) or the expected verdict.',
          };
        } else if (verdict === 'mask' && test.output !== undefined && checker.mask!(test.input) !== test.output) {
          yield {
            resource: guardrail,
            path: ['spec', 'tests', i, 'output'],
            message: `Test ${i + 1} of guardrail ${guardrail.name} expects another masked text than the checker writes: ${JSON.stringify(checker.mask!(test.input))}.`,
            hint: 'Matches are replaced by `[REDACTED:<category>]`; write that in `output`.',
          };
        }
      }
    }
  },
};
