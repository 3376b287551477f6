import { runGuardrailCases } from '../guardrail-tests.ts';
import type { Rule } from '../rule.ts';

export const guardrailTestsPass: Rule = {
  id: 'guardrail-tests-pass',
  description:
    'The test cases of a Guardrail with a built-in checker (`pii`, `secrets`, `deniedTopics`, `maxSize`) give the verdict they expect.',
  rationale:
    'A guardrail is code that runs on every request: its examples, run on each merge request, show that a changed word list or ' +
    'pattern still catches what it must and lets through what it must not, before it reaches production.',
  defaultSeverity: 'error',
  reads: { kinds: [], on: ['Guardrail'] },
  docs:
    'Each case checks `input` offline with the same checker the gateway runs: `allow` when nothing matches, else the ' +
    "guardrail's `action`; for `mask`, `output` (when given) is the masked text. Cases of remote checkers (`moderation`, " +
    '`presidio`, `webhook`) need their service and are not run. `modelgate policy test` runs the same cases.',
  *check(ctx) {
    for (const guardrail of ctx.byKind('Guardrail')) {
      for (const { failure } of runGuardrailCases(guardrail)) {
        if (failure) yield { resource: guardrail, ...failure, hint: HINT };
      }
    }
  },
};

const HINT = 'Fix the checker (words, detectors, patterns) or the expected verdict; matches are masked as `[REDACTED:<category>]`.';
