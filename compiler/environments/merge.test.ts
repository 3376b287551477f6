import { describe, expect, it } from 'vitest';
import { kindSchema } from '../../schema/schema-node.ts';
import { sourcePrefix, strategicMerge } from './merge.ts';

describe('strategicMerge', () => {
  it('merges maps, deletes on null, replaces scalars and plain lists', () => {
    expect(strategicMerge({ a: 1, b: { c: 2, d: 3 }, l: [1, 2] }, { b: { c: 9, d: null }, l: [3] }, undefined)).toEqual({
      a: 1,
      b: { c: 9 },
      l: [3],
    });
  });

  it('merges lists of targets by provider and model, appending new ones', () => {
    const base = {
      spec: {
        targets: [
          { provider: 'openai', model: 'gpt', weight: 80 },
          { provider: 'anthropic', model: 'claude', weight: 20 },
        ],
      },
    };
    const patch = {
      spec: {
        targets: [
          { provider: 'anthropic', model: 'claude', weight: 40 },
          { provider: 'vllm', model: 'llama', weight: 0 },
        ],
      },
    };
    expect(strategicMerge(base, patch, kindSchema('Route'))).toEqual({
      spec: {
        targets: [
          { provider: 'openai', model: 'gpt', weight: 80 },
          { provider: 'anthropic', model: 'claude', weight: 40 },
          { provider: 'vllm', model: 'llama', weight: 0 },
        ],
      },
    });
  });

  it('merges each list by the keys its schema declares', () => {
    const merged = (kind: 'Provider' | 'Route' | 'Prompt' | 'Consumer' | 'AccessPolicy', base: object, patch: object) =>
      strategicMerge({ spec: base }, { spec: patch }, kindSchema(kind));
    expect(merged('Provider', { models: [{ name: 'a' }, { name: 'b' }] }, { models: [{ name: 'b', version: '2' }] })).toEqual({
      spec: { models: [{ name: 'a' }, { name: 'b', version: '2' }] },
    });
    expect(merged('Route', { fallbacks: [{ provider: 'p', model: 'm' }] }, { fallbacks: [{ provider: 'p', model: 'n' }] })).toEqual({
      spec: {
        fallbacks: [
          { provider: 'p', model: 'm' },
          { provider: 'p', model: 'n' },
        ],
      },
    });
    expect(
      merged(
        'Prompt',
        { serve: [{ version: 'v1', weight: 100 }] },
        {
          serve: [
            { version: 'v1', weight: 50 },
            { version: 'v2', weight: 50 },
          ],
        },
      ),
    ).toEqual({
      spec: {
        serve: [
          { version: 'v1', weight: 50 },
          { version: 'v2', weight: 50 },
        ],
      },
    });
    expect(merged('Consumer', { apiKeys: [{ id: 'k1', sha256: 'a' }] }, { apiKeys: [{ id: 'k2', sha256: 'b' }] })).toEqual({
      spec: {
        apiKeys: [
          { id: 'k1', sha256: 'a' },
          { id: 'k2', sha256: 'b' },
        ],
      },
    });
    expect(
      merged(
        'AccessPolicy',
        { redaction: { patterns: [{ name: 't', regex: 'a' }] } },
        { redaction: { patterns: [{ name: 't', regex: 'b' }] } },
      ),
    ).toEqual({
      spec: { redaction: { patterns: [{ name: 't', regex: 'b' }] } },
    });
  });

  it('replaces a list whose schema declares no key, even a list of named mappings', () => {
    const issuers = { spec: { auth: { jwt: [{ issuer: 'a', audiences: ['x'] }, { issuer: 'b' }] } } };
    const patch = { spec: { auth: { jwt: [{ issuer: 'b', audiences: ['y'] }] } } };
    expect(strategicMerge(issuers, patch, kindSchema('Gateway'))).toEqual(patch);
    // Free-form values (a prompt's variables schema) declare nothing: their lists are replaced too.
    const variables = (names: string[]) => ({ spec: { variables: { type: 'object', examples: names.map((name) => ({ name })) } } });
    expect(strategicMerge(variables(['a']), variables(['b']), kindSchema('Prompt'))).toEqual(variables(['b']));
  });

  it('does not modify its inputs', () => {
    const base = { spec: { a: 1 } };
    strategicMerge(base, { spec: { a: 2 } }, undefined);
    expect(base).toEqual({ spec: { a: 1 } });
  });
});

describe('sourcePrefix', () => {
  it('maps a merged list index to the patch index by merge key', () => {
    const base = {
      spec: {
        models: [
          { name: 'a', version: '1' },
          { name: 'b', version: '2' },
        ],
      },
    };
    const patch = { spec: { models: [{ name: 'b', version: '5' }] } };
    const schema = kindSchema('Provider');
    const merged = strategicMerge(base, patch, schema);
    expect(sourcePrefix(merged, patch, ['spec', 'models', 1, 'version'], schema)).toEqual(['spec', 'models', 0, 'version']);
    expect(sourcePrefix(merged, base, ['spec', 'models', 0, 'version'], schema)).toEqual(['spec', 'models', 0, 'version']);
  });

  it('stops at the deepest node the source supplied', () => {
    const base = { spec: { models: [{ name: 'a', version: '1' }] } };
    const patch = { spec: { models: [{ name: 'b' }] } };
    const schema = kindSchema('Provider');
    const merged = strategicMerge(base, patch, schema);
    expect(sourcePrefix(merged, patch, ['spec', 'models', 0, 'version'], schema)).toEqual(['spec', 'models']);
    expect(sourcePrefix(merged, patch, ['spec', 'models', 1, 'version'], schema)).toEqual(['spec', 'models', 0]);
    expect(sourcePrefix(merged, base, ['spec', 'models', 1, 'version'], schema)).toEqual(['spec', 'models']);
  });
});
