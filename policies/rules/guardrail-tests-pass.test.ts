import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { guardrailTestsPass } from './guardrail-tests-pass.ts';

const guardrail = (spec: string) => doc('Guardrail', 'g', spec);

ruleTester.run(guardrailTestsPass, {
  valid: [
    {
      name: 'cases that hold, on every built-in checker, masks with their output',
      yaml:
        guardrail(
          'action: mask\ncheck: {pii: {detectors: [email]}}\ntests:\n  - {input: "mail bob@example.com", expect: mask, output: "mail [REDACTED:email]"}\n  - {input: "hello", expect: allow}',
        ) +
        doc(
          'Guardrail',
          's',
          `check: {secrets: {}}\ntests:\n  - {input: "key ${'sk-ant-' + 'api03-abcdefghijklmnopqrstuvwxyz'}", expect: block}`,
        ) +
        doc(
          'Guardrail',
          't',
          'action: flag\ncheck: {deniedTopics: {words: [merger]}}\ntests:\n  - {input: "the Merger talks", expect: flag}\n  - {input: "mergers", expect: allow}',
        ) +
        doc('Guardrail', 'm', 'action: mask\ncheck: {maxSize: {chars: 5}}\ntests:\n  - {input: "too long", expect: block}'),
    },
    {
      name: 'cases of remote checkers are not run offline',
      yaml: guardrail('check: {webhook: {url: "https://hook.example"}}\ntests:\n  - {input: "anything", expect: block}'),
    },
  ],
  invalid: [
    {
      name: 'a case the checker does not give, at its expect',
      yaml: guardrail(
        'check: {deniedTopics: {words: [phoenix]}}\ntests:\n  - {input: "fine", expect: allow}\n  - {input: "no topic here", expect: block}',
      ),
      errors: [
        { message: 'Test 2 of guardrail g expects block, the checker gives allow.', line: 11, column: 40, path: 'spec.tests[1].expect' },
      ],
    },
    {
      name: 'a masked text other than the checker writes, at its output',
      yaml: guardrail('action: mask\ncheck: {pii: {detectors: [email]}}\ntests:\n  - {input: "a@b.co", expect: mask, output: "[EMAIL]"}'),
      errors: [
        {
          message: /expects another masked text than the checker writes: "\[REDACTED:email\]"/,
          line: 11,
          column: 47,
          path: 'spec.tests[0].output',
        },
      ],
    },
  ],
});
