import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VALIDATORS_INPUTS_FILE, isFresh } from '../../kernel/prebuilt.mjs';
import { PACKAGE_ROOT } from '../../schema/package-root.ts';
import { buildCli } from '../../scripts/build-cli.ts';
import { loadProject } from '../load/load-project.ts';
import { kindValidators } from './kind-validators.ts';

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
