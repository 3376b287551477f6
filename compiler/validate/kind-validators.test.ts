import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { VALIDATORS_INPUTS_FILE, isFresh } from '../../kernel/prebuilt.mjs';
import { PACKAGE_ROOT } from '../../schema/package-root.ts';
import { buildCli } from '../../scripts/build-cli.ts';
import { loadProject } from '../load/load-project.ts';
import { META_SCHEMA_ID, kindValidators, prebuiltMetaSchema } from './kind-validators.ts';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const FIXTURES = join(PACKAGE_ROOT, 'fixtures');

/** The value, and the value broken at each place in turn: a wrong type, an unknown key, a missing key. */
function variants(value: unknown): unknown[] {
  const out: unknown[] = [value];
  const walk = (node: unknown, replace: (v: unknown) => unknown): void => {
    out.push(replace(typeof node === 'string' ? 12 : 'not-what-is-expected'));
    if (Array.isArray(node)) node.forEach((item, i) => walk(item, (v) => replace(node.map((x, j) => (j === i ? v : x)))));
    else if (node && typeof node === 'object') {
      const object = node as Record<string, unknown>;
      out.push(replace({ ...object, unknownKeyx: true }));
      for (const key of Object.keys(object)) {
        const { [key]: _dropped, ...rest } = object;
        out.push(replace(rest));
        walk(object[key], (v) => replace({ ...object, [key]: v }));
      }
    }
  };
  walk(value, (v) => v);
  return out;
}

describe('the kinds’ validators', () => {
  it('prebuilt by npm ci, report exactly what compiling the schemas at run time does', async () => {
    if (!isFresh(PACKAGE_ROOT, VALIDATORS_INPUTS_FILE)) await buildCli();
    const prebuilt = kindValidators();
    const compiled = kindValidators(mkdtempSync(join(tmpdir(), 'mg-no-prebuilt-')));
    expect(prebuilt('Route')).not.toBe(compiled('Route'));
    let invalid = 0;
    let checked = 0;
    for (const resource of ['acme', 'invalid'].flatMap((dir) => loadProject(join(FIXTURES, dir)).resources)) {
      for (const value of variants(resource.value)) {
        const [a, b] = [prebuilt(resource.kind), compiled(resource.kind)];
        const valid = a(value);
        expect(b(value)).toBe(valid);
        expect(a.errors ?? null).toEqual(b.errors ?? null);
        if (!valid) invalid++;
        checked++;
      }
    }
    expect(invalid).toBeGreaterThan(500);
    expect(checked).toBeGreaterThan(invalid);
  }, 60_000);
});

describe('the prebuilt 2020-12 meta-schema', () => {
  it('reports exactly what an ajv with every error and the formats reports, and is absent when not fresh', async () => {
    if (!isFresh(PACKAGE_ROOT, VALIDATORS_INPUTS_FILE)) await buildCli();
    const prebuilt = prebuiltMetaSchema()!;
    expect(prebuiltMetaSchema(mkdtempSync(join(tmpdir(), 'mg-no-prebuilt-')))).toBeUndefined();
    const ajv = new Ajv2020({ allErrors: true, strictTypes: false, strictTuples: false });
    addFormats(ajv);
    const compiled = ajv.getSchema(META_SCHEMA_ID)!;
    const schema = {
      type: 'object',
      required: ['metadata'],
      properties: { metadata: { type: 'object', properties: { labels: { additionalProperties: { pattern: '^[a-z]+$' } } } } },
      $defs: { anchored: { $anchor: 'here', minItems: 1, items: [{ const: 1 }], format: 'uri' } },
    };
    let invalid = 0;
    for (const value of [...variants(schema), { properties: { a: { pattern: '(' } } }, { $id: 'not a uri' }]) {
      const valid = prebuilt(value);
      expect(compiled(value)).toBe(valid);
      expect(ajv.errorsText(prebuilt.errors)).toBe(ajv.errorsText(compiled.errors));
      if (!valid) invalid++;
    }
    expect(invalid).toBeGreaterThan(20);
  });
});
