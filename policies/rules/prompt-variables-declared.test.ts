import { describe, expect, it } from 'vitest';
import { doc, findings } from '../../test/support/policy-resources.ts';
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
  doc('Prompt', 'order', `route: chat\n${variables}\nversions:\n  v1:\n    messages:\n      - role: user\n        content: ${JSON.stringify(content)}\nserve: [{version: v1}]`);

describe('prompt-variables-declared', () => {
  it('accepts declared paths, through each/with blocks, block params, ../ and free-form objects', () => {
    const template =
      '{{customer.name}} {{#each items}}{{sku}} {{../customer.name}} {{@index}}{{/each}}' +
      '{{#each items as |item|}}{{item.sku}}{{/each}}{{#with customer}}{{name}}{{/with}} {{extra.anything}} {{items.length}}';
    expect(findings(promptVariablesDeclared, prompt(template))).toEqual([]);
  });

  it('flags undeclared variables, top-level and nested, at the template', () => {
    const found = findings(promptVariablesDeclared, prompt('Hi {{customer.nmae}}, order {{orderId}} {{#each items}}{{price}}{{/each}}'));
    expect(found.map((f) => f.at)).toEqual(Array(3).fill('spec.versions.v1.messages[0].content'));
    expect(found.map((f) => f.message.match(/uses `([^`]+)`/)![1])).toEqual(['customer.nmae', 'orderId', 'items.[].price']);
    expect(found[0]!.message).toContain('(template line 1, column 6)');
  });

  it('requires a schema when a template uses variables', () => {
    const found = findings(promptVariablesDeclared, prompt('{{topic}}', ''));
    expect(found.map((f) => f.message.match(/uses `([^`]+)`/)![1])).toEqual(['topic']);
  });
});
