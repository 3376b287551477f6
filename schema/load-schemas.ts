import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { COMMON_SCHEMA_FILE, KIND_SCHEMA_FILES, type Kind } from './kinds.ts';

export const SCHEMA_DIR = fileURLToPath(new URL('.', import.meta.url));

export type JsonSchema = Record<string, unknown>;

function read(file: string): JsonSchema {
  return JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8')) as JsonSchema;
}

/** Every schema file by file name: the common definitions and one per kind. */
export function loadSchemas(): { common: JsonSchema; kinds: Record<Kind, JsonSchema> } {
  const kinds = Object.fromEntries(
    Object.entries(KIND_SCHEMA_FILES).map(([kind, file]) => [kind, read(file)]),
  ) as Record<Kind, JsonSchema>;
  return { common: read(COMMON_SCHEMA_FILE), kinds };
}
