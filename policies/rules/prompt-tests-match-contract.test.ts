import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { promptTestsMatchContract } from './prompt-tests-match-contract.ts';

const RESPONSE = '{type: object, required: [comment], properties: {comment: {type: string}, severity: {enum: [info, major]}}}';

/** A prompt with variable `diff`, the given `expose` and `tests` (lines from 13 on). */
const prompt = (expose: string, tests: string) =>
  doc(
    'Prompt',
    'reviewer',
    [
      'route: chat',
      'variables: {type: object, properties: {diff: {type: string}}}',
      'versions: {v1: {messages: [{role: user, content: "{{diff}}"}]}}',
      'serve: [{version: v1}]',
      expose,
      'tests:',
      tests,
    ].join('\n'),
  );

ruleTester.run(promptTestsMatchContract, {
  valid: [
    {
      name: 'cases matching the default request schema and the response schema',
      yaml: prompt(
        `expose: {path: /review, response: ${RESPONSE}}`,
        '  - {name: small, request: {diff: "+x"}, response: {comment: ok, severity: info}}',
      ),
    },
    {
      name: 'a request schema of its own',
      yaml: prompt(
        'expose: {path: /review, request: {type: object, properties: {diff: {type: string}, lang: {type: string}}}}',
        '  - {name: small, request: {diff: "+x", lang: go}}',
      ),
    },
  ],
  invalid: [
    {
      name: 'a request missing a variable, with a field the default schema does not take',
      yaml: prompt('expose: {path: /review}', '  - {name: small, request: {dif: "+x"}}'),
      errors: [
        {
          message: `Test case "small" of prompt reviewer does not match the request schema: request must have required property 'diff'.`,
          line: 14,
          column: 30,
          path: 'spec.tests[0].request.diff',
        },
        {
          message:
            'Test case "small" of prompt reviewer does not match the request schema: request must NOT have additional properties (`dif`).',
          line: 14,
          column: 36,
          path: 'spec.tests[0].request.dif',
        },
      ],
    },
    {
      name: 'a response off the schema',
      yaml: prompt(
        `expose: {path: /review, response: ${RESPONSE}}`,
        '  - {name: a, request: {diff: "+x"}, response: {comment: ok, severity: blocker}}',
      ),
      errors: [
        {
          message:
            'Test case "a" of prompt reviewer does not match the response schema: response.severity must be equal to one of the allowed values.',
          line: 14,
          column: 74,
          path: 'spec.tests[0].response.severity',
        },
      ],
    },
    {
      name: 'a response without a response schema',
      yaml: prompt('expose: {path: /review}', '  - {name: a, request: {diff: "+x"}, response: {comment: ok}}'),
      errors: [
        {
          message: 'Test case "a" of prompt reviewer gives a response, but the prompt declares no response schema.',
          line: 14,
          column: 50,
          path: 'spec.tests[0].response',
        },
      ],
    },
    {
      name: 'a response schema that does not compile',
      yaml: prompt(
        'expose: {path: /review, response: {type: object, properties: {a: {type: strin}}}}',
        '  - {name: a, request: {diff: "+x"}}',
      ),
      errors: [
        { message: /^The response schema of prompt reviewer does not compile: /, line: 12, column: 37, path: 'spec.expose.response' },
      ],
    },
    {
      name: 'two cases of the same name',
      yaml: prompt(
        'expose: {path: /review}',
        ['  - {name: small, request: {diff: "+x"}}', '  - {name: small, request: {diff: "+y"}}'].join('\n'),
      ),
      errors: [
        {
          message:
            'Test case 2 of prompt reviewer is named "small" like case 1: the OpenAPI document would show one of them, and an environment patch of "small" would change only the first.',
          line: 15,
          column: 14,
          path: 'spec.tests[1].name',
        },
      ],
    },
    {
      name: 'test cases without an endpoint',
      yaml: prompt('', '  - {name: a, request: {diff: "+x"}}'),
      errors: [
        {
          message: 'Prompt reviewer has test cases but no endpoint of its own to check them against.',
          line: 14,
          column: 5,
          path: 'spec.tests',
        },
      ],
    },
  ],
});
