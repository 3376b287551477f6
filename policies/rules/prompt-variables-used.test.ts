import { describe, expect, it } from 'vitest';
import { doc, findings } from '../../test/support/policy-resources.ts';
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

describe('prompt-variables-used', () => {
  it('accepts variables used by any version, or through their parent object', () => {
    expect(findings(promptVariablesUsed, prompt('{{customer}}', '{{tone}}'))).toEqual([]);
    expect(findings(promptVariablesUsed, prompt('{{customer.name}} {{customer.tier}}', '{{tone}}'))).toEqual([]);
  });

  it('flags declared variables no template reads, at their declaration', () => {
    const found = findings(promptVariablesUsed, prompt('{{customer.name}}', 'Hello'));
    expect(found.map((f) => f.at)).toEqual(['spec.variables.properties.customer.properties.tier', 'spec.variables.properties.tone']);
  });

  it('says nothing while a template does not parse', () => {
    expect(findings(promptVariablesUsed, prompt('{{#if}}', 'Hello'))).toEqual([]);
  });
});
