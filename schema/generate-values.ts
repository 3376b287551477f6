// Generates schema/values.ts from the JSON Schemas (`npm run gen:types`): each location's `default` and `enum`
// by kind and document path, so that code filling in defaults or listing allowed values reads them from the
// schemas instead of restating them. A test fails when the file drifts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KINDS, type Kind } from './kinds.ts';
import { SCHEMA_DIR, type JsonSchema } from './load-schemas.ts';
import { childPath, kindSchema, schemaChildren, schemaKeyword, type SchemaNode } from './schema-node.ts';

type Table = Record<string, unknown>;

interface Tables {
  defaults: Table;
  enums: Table;
}

function collect(node: SchemaNode, path: string, tables: Tables, enclosing: ReadonlySet<JsonSchema>): void {
  const fallback = schemaKeyword(node, 'default');
  if (fallback !== undefined) tables.defaults[path] = fallback;
  const allowed = schemaKeyword(node, 'enum');
  if (allowed !== undefined) tables.enums[path] = allowed;
  // A definition that contains itself is listed down to its first repetition.
  const schema = node.at(-1)!.schema;
  if (enclosing.has(schema)) return;
  for (const [step, child] of schemaChildren(node)) collect(child, childPath(path, step), tables, new Set([...enclosing, schema]));
}

function printTable(name: string, doc: string, byKind: Record<Kind, Table>): string {
  const kinds = KINDS.map((kind) => {
    const entries = Object.entries(byKind[kind]).map(([path, value]) => `    ${JSON.stringify(path)}: ${JSON.stringify(value)},\n`);
    return entries.length ? `  ${kind}: {\n${entries.join('')}  },\n` : `  ${kind}: {},\n`;
  });
  return `${doc}\nexport const ${name} = {\n${kinds.join('')}} as const;\n`;
}

export function generateValues(): string {
  const defaults = {} as Record<Kind, Table>;
  const enums = {} as Record<Kind, Table>;
  for (const kind of KINDS) {
    const tables: Tables = { defaults: (defaults[kind] = {}), enums: (enums[kind] = {}) };
    collect(kindSchema(kind), '', tables, new Set());
  }
  return [
    '/* Generated from schema/*.schema.json by `npm run gen:types`. Do not edit. */',
    '// Paths are document paths: `[]` stands for every item of a list, `*` for every value of a map.',
    '',
    printTable(
      'SCHEMA_DEFAULTS',
      "/** The `default` of each location of each kind's schema: what the compiler fills in when a value is absent. */",
      defaults,
    ),
    printTable('SCHEMA_ENUMS', "/** The allowed values (`enum`) of each location of each kind's schema. */", enums),
  ].join('\n');
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  writeFileSync(join(SCHEMA_DIR, 'values.ts'), generateValues());
}
