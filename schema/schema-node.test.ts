import { describe, expect, it } from 'vitest';
import { KINDS } from './kinds.ts';
import { childPath, childSchema, kindSchema, schemaChildren, schemaKeyword, type SchemaNode } from './schema-node.ts';

/** Every location of a schema with its path (the schemas have no recursive definitions). */
function* locations(node: SchemaNode, path: string): Generator<[string, SchemaNode]> {
  yield [path, node];
  for (const [step, child] of schemaChildren(node)) yield* locations(child, childPath(path, step));
}

describe('schema nodes', () => {
  it('follow $refs into the common definitions and keep what is written beside them', () => {
    const timeout = childSchema(childSchema(kindSchema('Provider'), 'spec')!, 'timeout')!;
    expect(schemaKeyword(timeout, 'default')).toBe('60s');
    expect(schemaKeyword(timeout, 'pattern')).toBe('^[0-9]+(ms|s|m|h)$');
    const fallback = childSchema(childSchema(childSchema(kindSchema('Route'), 'spec')!, 'fallbacks')!, 0)!;
    expect(schemaKeyword(fallback, 'required')).toEqual(['provider', 'model']);
    expect(childSchema(kindSchema('Route'), 'nope')).toBeUndefined();
  });

  it('declare list map keys only as string properties that every item must have', () => {
    const declared: string[] = [];
    for (const kind of KINDS) {
      for (const [path, node] of locations(kindSchema(kind), kind)) {
        const keys = schemaKeyword(node, 'x-list-map-keys') as string[] | undefined;
        if (!keys) continue;
        declared.push(`${path} ${keys.join('+')}`);
        const items = childSchema(node, 0)!;
        expect(schemaKeyword(items, 'required'), path).toEqual(expect.arrayContaining(keys));
        for (const key of keys) expect(schemaKeyword(childSchema(items, key)!, 'type'), `${path} ${key}`).toBe('string');
      }
    }
    expect(declared).toEqual([
      'Provider.spec.models name',
      'Route.spec.targets provider+model',
      'Route.spec.fallbacks provider+model',
      'Prompt.spec.serve version',
      'Prompt.spec.tests name',
      'Consumer.spec.apiKeys id',
      'AccessPolicy.spec.redaction.patterns name',
      'Guardrail.spec.check.pii.patterns name',
    ]);
  });
});
