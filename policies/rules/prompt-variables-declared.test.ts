import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { promptVariablesDeclared } from './prompt-variables-declared.ts';

const VARIABLES = `variables:
  type: object
  properties:
    customer:
      type: object
      properties: {name: {type: string}}
    items:
      type: array
      items: {type: object, properties: {sku: {type: string}}}
    extra: {type: object}`;

const prompt = (content: string, variables = VARIABLES) =>
  doc(
    'Prompt',
    'order',
    `route: chat\n${variables}\nversions:\n  v1:\n    messages:\n      - role: user\n        content: ${JSON.stringify(content)}\nserve: [{version: v1}]`,
  );
const CONTENT = 'spec.versions.v1.messages[0].content';

ruleTester.run(promptVariablesDeclared, {
  valid: [
    {
      name: 'declared paths, through each/with blocks, block params, ../ and free-form objects',
      yaml: prompt(
        '{{customer.name}} {{#each items}}{{sku}} {{../customer.name}} {{@index}}{{/each}}' +
          '{{#each items as |item|}}{{item.sku}}{{/each}}{{#with customer}}{{name}}{{/with}} {{extra.anything}} {{items.length}}',
      ),
    },
  ],
  invalid: [
    {
      name: 'undeclared variables, top-level and nested, at the template',
      yaml: prompt('Hi {{customer.nmae}}, order {{orderId}} {{#each items}}{{price}}{{/each}}'),
      errors: [
        {
          message:
            'Prompt order (version v1) uses `customer.nmae`, which its variables schema does not declare (template line 1, column 6).',
          line: 23,
          column: 20,
          path: CONTENT,
        },
        {
          message: 'Prompt order (version v1) uses `orderId`, which its variables schema does not declare (template line 1, column 31).',
          line: 23,
          column: 20,
          path: CONTENT,
        },
        {
          message:
            'Prompt order (version v1) uses `items.[].price`, which its variables schema does not declare (template line 1, column 58).',
          line: 23,
          column: 20,
          path: CONTENT,
        },
      ],
    },
    {
      name: 'a schema, when a template uses variables',
      yaml: prompt('{{topic}}', ''),
      errors: [
        {
          message: 'Prompt order (version v1) uses `topic`, which its variables schema does not declare (template line 1, column 3).',
          line: 14,
          column: 20,
        },
      ],
    },
  ],
});
