import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { redactionRegexSafe } from './redaction-regex-safe.ts';

const access = (regex: string) =>
  doc('AccessPolicy', 'apps', `subjects: {consumers: [app]}\nredaction:\n  patterns:\n    - name: ticket\n      regex: '${regex}'`);
const REGEX = 'spec.redaction.patterns[0].regex';

ruleTester.run(redactionRegexSafe, {
  valid: [
    { name: 'a bounded pattern', yaml: access('TICKET-\\d{4,8}') },
    { name: 'an unambiguous pattern', yaml: access('[a-z0-9._%+-]+@([a-z0-9-]+\\.)+[a-z]{2,}') },
  ],
  invalid: [
    {
      name: 'a catastrophic pattern, at the regex',
      yaml: access('(\\w+\\s?)+$'),
      errors: [
        {
          message:
            'Redaction pattern ticket of access policy apps is refused: a repeated group contains a repetition that can split the input many ways (as in `(a+)+`).',
          line: 12,
          column: 16,
          path: REGEX,
        },
      ],
    },
    {
      name: 'an invalid pattern, at the regex',
      yaml: access('(unclosed'),
      errors: [
        {
          message:
            'Redaction pattern ticket of access policy apps is refused: it is not a valid regular expression (/(unclosed/: Unterminated group).',
          line: 12,
          column: 16,
          path: REGEX,
        },
      ],
    },
  ],
});
