import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { promptVariablesUsed } from './prompt-variables-used.ts';

const prompt = (v1: string, v2: string) =>
  doc(
    'Prompt',
    'order',
    `route: chat
variables:
  type: object
  properties:
    customer: {type: object, properties: {name: {type: string}, tier: {type: string}}}
    tone: {type: string}
versions:
  v1: {messages: [{role: user, content: ${JSON.stringify(v1)}}]}
  v2: {messages: [{role: user, content: ${JSON.stringify(v2)}}]}
serve: [{version: v1}]`,
  );

ruleTester.run(promptVariablesUsed, {
  valid: [
    { name: 'variables used by any version', yaml: prompt('{{customer}}', '{{tone}}') },
    { name: 'variables used through their parent object', yaml: prompt('{{customer.name}} {{customer.tier}}', '{{tone}}') },
    { name: 'says nothing while a template does not parse', yaml: prompt('{{#if}}', 'Hello') },
  ],
  invalid: [
    {
      name: 'declared variables no template reads, at their declaration',
      yaml: prompt('{{customer.name}}', 'Hello'),
      errors: [
        {
          message: "Prompt order declares `customer.tier`, which no version's template uses.",
          line: 12,
          column: 73,
          path: 'spec.variables.properties.customer.properties.tier',
        },
        {
          message: "Prompt order declares `tone`, which no version's template uses.",
          line: 13,
          column: 13,
          path: 'spec.variables.properties.tone',
        },
      ],
    },
  ],
});
