// The JSON Schema at a document path, for completion of fields and values and for hover: the same schemas the
// compiler validates against, read through schema/schema-node.ts.
import { childSchema, kindSchema, schemaChildren, schemaKeyword, type SchemaNode } from '../schema/schema-node.ts';
import { isKind } from '../schema/kinds.ts';
import { type LineContext, type Step, valueAt } from './line-context.ts';

export function schemaAt(kind: string | undefined, path: readonly Step[]): SchemaNode | undefined {
  if (!isKind(kind)) return undefined;
  let node: SchemaNode | undefined = kindSchema(kind);
  for (const step of path) node = node && childSchema(node, step);
  return node;
}

/** Inside an Environment's `spec.patches[i].patch`, the patched kind's schema applies, from the patch's root. */
export function schemaTarget(context: LineContext, path: readonly Step[]): { kind: string | undefined; path: readonly Step[] } {
  const [spec, patches, index, patch] = path;
  if (context.kind !== 'Environment' || spec !== 'spec' || patches !== 'patches' || typeof index !== 'number' || patch !== 'patch') {
    return { kind: context.kind, path };
  }
  return { kind: valueAt(context, ['spec', 'patches', index, 'target', 'kind']), path: path.slice(4) };
}

export function describe(node: SchemaNode): string | undefined {
  const description = schemaKeyword(node, 'description');
  return typeof description === 'string' ? description : undefined;
}

/** The properties a mapping at this node may have, each with its own node. */
export function fieldsOf(node: SchemaNode): [string, SchemaNode][] {
  return schemaChildren(node).filter(([step]) => step !== '[]' && step !== '*');
}

/** The values the schema allows here when it lists them: an enum, a const, or true and false. */
export function allowedValues(node: SchemaNode): string[] {
  const values = schemaKeyword(node, 'enum');
  if (Array.isArray(values)) return values.map(String);
  const constant = schemaKeyword(node, 'const');
  if (constant !== undefined) return [String(constant)];
  return schemaKeyword(node, 'type') === 'boolean' ? ['true', 'false'] : [];
}

/** A node that describes a mapping (it declares properties), rather than a scalar or a list. */
export function isMapping(node: SchemaNode): boolean {
  return fieldsOf(node).length > 0;
}
