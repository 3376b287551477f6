// Completion from the cursor's line context: the kinds, the fields the schema declares where a key goes, the
// values it allows, and the names of existing resources where a reference goes.
import { type CompletionItem, CompletionItemKind, MarkupKind } from 'vscode-languageserver';
import type { AnyResource } from '../kernel/resource.ts';
import { API_VERSION, KINDS } from '../schema/kinds.ts';
import { type LineContext, valueAt } from './line-context.ts';
import { referenceFieldAt } from './reference-sites.ts';
import { allowedValues, describe, fieldsOf, isMapping, schemaAt, schemaTarget } from './schema-docs.ts';

const ENVELOPE_KEYS = ['apiVersion', 'kind', 'metadata', 'spec'];

export function completions(context: LineContext, resources: readonly AnyResource[]): CompletionItem[] {
  const edit = (text: string) => ({ range: context.range, newText: text });
  if (context.slot === 'key') return fieldItems(context).map((item) => ({ ...item, textEdit: edit(`${item.label}: `) }));
  const path = context.slot === 'value' ? [...context.container, context.key!] : context.container;
  if (path.length === 1 && path[0] === 'kind') return KINDS.map((k) => ({ label: k, kind: CompletionItemKind.Class, textEdit: edit(k) }));
  if (path.length === 1 && path[0] === 'apiVersion')
    return [{ label: API_VERSION, kind: CompletionItemKind.Constant, textEdit: edit(API_VERSION) }];
  const at = schemaTarget(context, path);
  const node = schemaAt(at.kind, at.path);
  if (context.slot === 'item' && node && isMapping(node))
    return fieldItems(context).map((item) => ({ ...item, textEdit: edit(`${item.label}: `) }));
  const field = referenceFieldAt(at.kind, at.path);
  const names = field ? field.offer(resources, (steps) => valueAt(context, steps), path) : [];
  const values = node ? allowedValues(node) : [];
  return [
    ...[...new Set(names)].sort().map((name) => ({ label: name, kind: CompletionItemKind.Reference, textEdit: edit(name) })),
    ...values.map((value) => ({ label: value, kind: CompletionItemKind.EnumMember, textEdit: edit(value) })),
  ];
}

function fieldItems(context: LineContext): CompletionItem[] {
  if (context.container.length === 0 && !context.kind) return ENVELOPE_KEYS.map((label) => ({ label, kind: CompletionItemKind.Field }));
  const at = schemaTarget(context, context.container);
  const node = schemaAt(at.kind, at.path);
  return (node ? fieldsOf(node) : []).map(([label, child]) => {
    const doc = describe(child);
    return {
      label,
      kind: CompletionItemKind.Field,
      ...(doc ? { documentation: { kind: MarkupKind.Markdown, value: doc } } : {}),
    };
  });
}
