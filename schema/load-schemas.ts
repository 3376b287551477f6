import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMON_SCHEMA_FILE, KIND_SCHEMA_FILES, type Kind } from './kinds.ts';
import { PACKAGE_ROOT } from './package-root.ts';

export const SCHEMA_DIR = join(PACKAGE_ROOT, 'schema');

export type JsonSchema = Record<string, unknown>;

function read(file: string): JsonSchema {
  return JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as JsonSchema;
}

/** Every schema file by file name: the common definitions and one per kind. */
export function loadSchemas(): { common: JsonSchema; kinds: Record<Kind, JsonSchema> } {
  const kinds = Object.fromEntries(Object.entries(KIND_SCHEMA_FILES).map(([kind, file]) => [kind, read(file)])) as Record<Kind, JsonSchema>;
  return { common: read(COMMON_SCHEMA_FILE), kinds };
}
