import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { promptTemplateCompiles } from './prompt-template-compiles.ts';

const prompt = (content: string) =>
  doc(
    'Prompt',
    'summary',
    `route: chat\nvariables: {type: object, properties: {text: {type: string}}}\nversions:\n  v1:\n    messages:\n      - role: user\n        content: ${JSON.stringify(content)}\nserve: [{version: v1}]`,
  );

ruleTester.run(promptTemplateCompiles, {
  valid: [{ name: 'variables and the built-in block helpers', yaml: prompt('{{#if text}}Summarise: {{text}}{{else}}Nothing{{/if}}') }],
  invalid: [
    {
      name: 'a syntax error at the message content, with the template position',
      yaml: prompt('Summarise: {{#if text}}{{text}}'),
      errors: [
        {
          message:
            'The template of prompt summary (version v1) cannot be rendered: Parse error on line 1: unexpected end of template (template line 1, column 1).',
          line: 14,
          column: 20,
          path: 'spec.versions.v1.messages[0].content',
        },
      ],
    },
    {
      name: 'helpers and partials the gateway does not have',
      yaml: prompt('{{upper text}} {{> footer}}'),
      errors: [
        {
          message:
            'The template of prompt summary (version v1) cannot be rendered: the helper `upper` is not available to prompt templates (only if, unless, each, with, lookup, log) (template line 1, column 3).',
          line: 14,
          column: 20,
        },
        {
          message:
            'The template of prompt summary (version v1) cannot be rendered: partials (`{{> name}}`) are not available to prompt templates (template line 1, column 16).',
          line: 14,
          column: 20,
        },
      ],
    },
  ],
});
