// The files generated from the schemas are committed; they must be what `npm run gen:types` writes today.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateTypes } from './generate-types.ts';
import { generateValues } from './generate-values.ts';
import { SCHEMA_DIR } from './load-schemas.ts';

const committed = (file: string): string => readFileSync(join(SCHEMA_DIR, file), 'utf8');

describe('generated from the schemas (run `npm run gen:types` when this fails)', () => {
  it('types.ts', async () => {
    expect(await generateTypes()).toBe(committed('types.ts'));
  });

  it('values.ts', () => {
    expect(generateValues()).toBe(committed('values.ts'));
  });
});
