// Walks a kind's JSON Schema alongside a document: the subschema of a property, of a list's items or of a map's
// values, with `$ref`s followed across the schema files. Overlays read merge keys through it, and the generator
// of values.ts reads defaults and enums.
import { COMMON_SCHEMA_FILE, KIND_SCHEMA_FILES, type Kind } from './kinds.ts';
import { loadSchemas, type JsonSchema } from './load-schemas.ts';

interface Located {
  schema: JsonSchema;
  /** The file the schema is written in: its `#/...` references point into it. */
  file: string;
}

/** The schemas that apply at one location: the one written there, then the ones its `$ref`s lead to. */
export type SchemaNode = readonly Located[];

// A step from a node to a child is a property name, `[]` for the items of a list or `*` for the values of a map.
const ITEMS = '[]';
const MAP_VALUES = '*';

/** The document path of a child: `spec.targets[]`, `spec.rules.*`. */
export const childPath = (path: string, step: string): string => (step === ITEMS ? `${path}${ITEMS}` : path ? `${path}.${step}` : step);

let files: Record<string, JsonSchema> | undefined;

function schemaFiles(): Record<string, JsonSchema> {
  if (!files) {
    const { common, kinds } = loadSchemas();
    files = { [COMMON_SCHEMA_FILE]: common };
    for (const [kind, file] of Object.entries(KIND_SCHEMA_FILES)) files[file] = kinds[kind as Kind];
  }
  return files;
}

export function kindSchema(kind: Kind): SchemaNode {
  const file = KIND_SCHEMA_FILES[kind];
  return follow({ schema: schemaFiles()[file]!, file });
}

function follow(start: Located): SchemaNode {
  const chain = [start];
  for (let at = start; typeof at.schema.$ref === 'string'; ) {
    const [file, pointer = ''] = at.schema.$ref.split('#');
    const target = file || at.file;
    const schema = pointer
      .split('/')
      .slice(1)
      .reduce<JsonSchema | undefined>((s, key) => s?.[key] as JsonSchema | undefined, schemaFiles()[target]);
    if (!schema) throw new Error(`${at.file}: $ref ${at.schema.$ref} does not resolve.`);
    at = { schema, file: target };
    chain.push(at);
  }
  return chain;
}

/** A keyword's value at this location: written beside a `$ref` wins over the referenced schema's. */
export function schemaKeyword(node: SchemaNode, keyword: string): unknown {
  return node.find((at) => keyword in at.schema)?.schema[keyword];
}

/** The subschema a child of a value at `node` must match; undefined where the schema says nothing about it. */
export function childSchema(node: SchemaNode, step: string | number): SchemaNode | undefined {
  return typeof step === 'number' ? childAt(node, 'items') : (childAt(node, 'properties', step) ?? childAt(node, 'additionalProperties'));
}

/** The children a schema declares, by step: its properties, its items and its map values. */
export function schemaChildren(node: SchemaNode): [string, SchemaNode][] {
  const properties = node.flatMap((at) => Object.keys((at.schema.properties as JsonSchema | undefined) ?? {}));
  const children: [string, SchemaNode | undefined][] = [
    ...[...new Set(properties)].map((name): [string, SchemaNode | undefined] => [name, childAt(node, 'properties', name)]),
    [ITEMS, childAt(node, 'items')],
    [MAP_VALUES, childAt(node, 'additionalProperties')],
  ];
  return children.filter((c): c is [string, SchemaNode] => c[1] !== undefined);
}

function childAt(node: SchemaNode, keyword: 'properties' | 'items' | 'additionalProperties', name?: string): SchemaNode | undefined {
  for (const at of node) {
    const declared = at.schema[keyword] as JsonSchema | undefined;
    // Own properties only: a document key such as `constructor` names no property of the schema.
    const value = name === undefined ? declared : declared && Object.hasOwn(declared, name) ? declared[name] : undefined;
    // `true`/`false` (anything allowed, nothing allowed) declare no structure to walk.
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return follow({ schema: value as JsonSchema, file: at.file });
  }
  return undefined;
}
