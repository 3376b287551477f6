import type { Rule } from '../rule.ts';
import { checkSafeRegex } from '../../kernel/safe-regex.ts';

const HINT = 'Make repetitions unambiguous: bound them (`\\d{4}`) and separate them by required characters.';

export const redactionRegexSafe: Rule = {
  id: 'redaction-regex-safe',
  description:
    'Custom redaction patterns (of access policies and `pii` guardrails) are valid regular expressions that cannot backtrack catastrophically.',
  rationale:
    "Redaction runs on every request body in the gateway's event loop: one pattern like `(a+)+` lets a crafted prompt " +
    'stall all traffic (ReDoS). The gateway refuses such patterns at load, so the config would not deploy.',
  defaultSeverity: 'error',
  reads: { kinds: [], on: ['AccessPolicy', 'Guardrail'] },
  docs: 'Refused: backreferences, a repeated group containing a repetition (`(\\w+\\s?)+`), repeated alternatives that overlap (`(a|ab)*`), adjacent repetitions over the same characters (`\\d+\\d*`), and patterns over 500 characters.',
  *check(ctx) {
    for (const policy of ctx.byKind('AccessPolicy')) {
      for (const [i, pattern] of (policy.value.spec.redaction?.patterns ?? []).entries()) {
        const unsafe = checkSafeRegex(pattern.regex);
        if (!unsafe) continue;
        yield {
          resource: policy,
          path: ['spec', 'redaction', 'patterns', i, 'regex'],
          message: `Redaction pattern ${pattern.name} of access policy ${policy.name} is refused: ${unsafe}.`,
          hint: HINT,
        };
      }
    }
    for (const guardrail of ctx.byKind('Guardrail')) {
      for (const [i, pattern] of (guardrail.value.spec.check.pii?.patterns ?? []).entries()) {
        const unsafe = checkSafeRegex(pattern.regex);
        if (!unsafe) continue;
        yield {
          resource: guardrail,
          path: ['spec', 'check', 'pii', 'patterns', i, 'regex'],
          message: `Pattern ${pattern.name} of guardrail ${guardrail.name} is refused: ${unsafe}.`,
          hint: HINT,
        };
      }
    }
  },
};
