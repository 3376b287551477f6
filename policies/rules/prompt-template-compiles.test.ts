import { describe, expect, it } from 'vitest';
import { doc, findings } from '../../test/support/policy-resources.ts';
import { promptTemplateCompiles } from './prompt-template-compiles.ts';

const prompt = (content: string) =>
  doc('Prompt', 'summary', `route: chat\nvariables: {type: object, properties: {text: {type: string}}}\nversions:\n  v1:\n    messages:\n      - role: user\n        content: ${JSON.stringify(content)}\nserve: [{version: v1}]`);

describe('prompt-template-compiles', () => {
  it('accepts variables and the built-in block helpers', () => {
    expect(findings(promptTemplateCompiles, prompt('{{#if text}}Summarise: {{text}}{{else}}Nothing{{/if}}'))).toEqual([]);
  });

  it('flags a syntax error at the message content, with the template position', () => {
    const [f] = findings(promptTemplateCompiles, prompt('Summarise: {{#if text}}{{text}}'));
    expect(f!.at).toBe('spec.versions.v1.messages[0].content');
    expect(f!.line).toBe(14);
    expect(f!.message).toMatch(/cannot be rendered: Parse error on line 1: unexpected end of template/);
  });

  it('flags helpers and partials the gateway does not have', () => {
    const found = findings(promptTemplateCompiles, prompt('{{upper text}} {{> footer}}'));
    expect(found.map((f) => f.message.replace(/.*cannot be rendered: /, ''))).toEqual([
      'the helper `upper` is not available to prompt templates (only if, unless, each, with, lookup, log) (template line 1, column 3).',
      'partials (`{{> name}}`) are not available to prompt templates (template line 1, column 16).',
    ]);
  });
});
