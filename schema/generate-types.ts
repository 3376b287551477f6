// Generates schema/types.ts from the JSON Schemas: `npm run gen:types`. A test fails when the file drifts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from 'json-schema-to-typescript';
import { KIND_SCHEMA_FILES, USAGE_RECORD_SCHEMA_FILE } from './kinds.ts';
import { SCHEMA_DIR } from './load-schemas.ts';

export async function generateTypes(): Promise<string> {
  // One wrapper schema so that shared definitions (Metadata, SecretRef, ...) are declared once.
  const wrapper = {
    title: 'ModelgateResources',
    description: 'Every resource kind of modelgate.dev/v1.',
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(
      [...Object.entries(KIND_SCHEMA_FILES), ['UsageRecord', USAGE_RECORD_SCHEMA_FILE]].map(([name, file]) => [
        name,
        { $ref: `./${file}` },
      ]),
    ),
  };
  const ts = await compile(wrapper as never, 'ModelgateResources', {
    cwd: SCHEMA_DIR,
    bannerComment: '/* Generated from schema/*.schema.json by `npm run gen:types`. Do not edit. */',
    additionalProperties: false,
    strictIndexSignatures: false,
    format: true,
    style: { singleQuote: true, printWidth: 110 },
  });
  return ts;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  writeFileSync(join(SCHEMA_DIR, 'types.ts'), await generateTypes());
}
