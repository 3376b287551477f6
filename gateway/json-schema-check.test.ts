// The gateway checks prompt schemas against the meta-schema itself (json-schema-check.ts) and compiles them without
// ajv's own check: it must refuse exactly what ajv's compile refuses, with ajv's message. (The bundle's check,
// compiled ahead of time, is compared with this one in targets/node/index.test.ts.)
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { testPrompt } from '../test/support/ir-fixture.ts';
import { variablesValidator } from './prompts.ts';

const SCHEMAS: Record<string, unknown>[] = [
  { type: 'object', properties: { name: { type: 'string', maxLength: 200 }, plan: { enum: ['free', 'pro'] } }, required: ['name'] },
  { type: 'object', properties: { tags: { type: 'array', prefixItems: [{ type: 'string' }], items: false } } },
  { type: 'object', $defs: { id: { type: 'string', pattern: '^[a-z]+$' } }, properties: { id: { $ref: '#/$defs/id' } } },
  { type: 'object', $schema: 'https://json-schema.org/draft/2020-12/schema' },
  { type: 'object', properties: { name: { type: 'strng' } } },
  { type: 'object', properties: { name: { type: 'string', minLength: 'one' } } },
  { type: 'object', required: 'name' },
  { type: 'object', properties: { list: { items: [{ type: 'string' }] } } },
  { type: 'object', additionalProperties: 5 },
  { type: 'object', $schema: 'http://json-schema.org/draft-07/schema#' },
];

function ajvCompileError(schema: Record<string, unknown>): string | undefined {
  const ajv = new Ajv2020({ allErrors: false, strict: false });
  addFormats.default(ajv);
  try {
    ajv.compile(schema);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

describe('prompt schemas checked against the meta-schema', () => {
  it('refuses what ajv refuses, with its message, and accepts the rest', () => {
    let refused = 0;
    for (const variables of SCHEMAS) {
      const expected = ajvCompileError(variables);
      const compile = () => variablesValidator(testPrompt('p', 'chat', { variables }));
      if (expected === undefined) expect(compile, JSON.stringify(variables)).not.toThrow();
      else {
        refused++;
        expect(compile).toThrow(`prompt "p": its variables schema does not compile: ${expected}`);
      }
    }
    expect(refused).toBe(6);
  });
});
