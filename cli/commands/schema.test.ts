import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import { SCHEMA_DIR } from '../../schema/load-schemas.ts';
import { runMain } from '../../test/support/run-main.ts';

// CommonJS: under NodeNext the default export is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const dir = mkdtempSync(join(tmpdir(), 'modelgate-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => runMain('schema', ...args);

const published = readdirSync(SCHEMA_DIR)
  .filter((f) => f.endsWith('.schema.json'))
  .sort();

describe('modelgate schema', () => {
  it('lists every schema with its URL when no folder is given', async () => {
    const { code, stdout } = await run();
    expect(code).toBe(0);
    for (const file of published) expect(stdout).toContain(file);
    expect(stdout).toContain('https://modelgate.dev/schema/v1/');
    const json = JSON.parse((await run('--format', 'json')).stdout);
    expect(json.find((e: { describes: string }) => e.describes === 'Route')).toEqual({
      describes: 'Route',
      file: 'route.schema.json',
      url: 'https://modelgate.dev/schema/v1/route.schema.json',
    });
  });

  it('writes every schema file, byte for byte, into a self-contained folder', async () => {
    const out = join(dir, 'nested', 'schemas');
    const { code, stdout } = await run('--out', out);
    expect(code).toBe(0);
    expect(stdout).toContain(`Wrote ${published.length} schemas to ${out}`);
    expect(readdirSync(out).sort()).toEqual(published);
    for (const file of published) expect(readFileSync(join(out, file), 'utf8')).toBe(readFileSync(join(SCHEMA_DIR, file), 'utf8'));
    // The written copies resolve each other's $refs on their own.
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    for (const file of published) ajv.addSchema(JSON.parse(readFileSync(join(out, file), 'utf8')));
    const route = ajv.getSchema('https://modelgate.dev/schema/v1/route.schema.json')!;
    expect(
      route({
        apiVersion: 'modelgate.dev/v1',
        kind: 'Route',
        metadata: { name: 'chat' },
        spec: { targets: [{ provider: 'openai', model: 'gpt-4o' }] },
      }),
    ).toBe(true);
    expect(route({ apiVersion: 'modelgate.dev/v1', kind: 'Route', metadata: { name: 'Chat!' }, spec: { targets: [] } })).toBe(false);
  });

  it('refuses an --out that is a file, with exit 2 and no stack trace', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const { code, stderr } = await run('--out', file);
    expect(code).toBe(2);
    expect(stderr).toContain('is a file, not a folder');
    expect(stderr).not.toMatch(/^\s+at /m);
  });
});
