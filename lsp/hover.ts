// Hover on a key or value: the schema's description of the field, what it allows, and the field's effective
// value in each environment when an overlay changes it.
import { type Hover, MarkupKind, type Position } from 'vscode-languageserver';
import { formatPath, getAt } from '../kernel/paths.ts';
import { schemaKeyword } from '../schema/schema-node.ts';
import { lineContext } from './line-context.ts';
import type { Navigation } from './navigation.ts';
import { contains, rangeContains } from './positions.ts';
import { allowedValues, describe, schemaAt, schemaTarget } from './schema-docs.ts';
import type { Snapshot } from './workspace.ts';

const MAX_VALUE_CHARS = 80;

export function hover(snapshot: Snapshot, navigation: Navigation, file: string, text: string, position: Position): Hover | null {
  const context = lineContext(text, position);
  if (context.slot === 'key' && context.key === undefined) return null;
  const path = context.key === undefined ? context.container : [...context.container, context.key];
  const at = schemaTarget(context, path);
  const node = schemaAt(at.kind, at.path);
  if (!node) return null;
  const lines = [`**${formatPath(path)}**`, ...referenced(navigation, file, position)];
  const doc = describe(node);
  if (doc) lines.push('', doc);
  const allowed = allowedValues(node);
  if (allowed.length > 1) lines.push('', `Allowed: ${allowed.map((v) => `\`${v}\``).join(', ')}`);
  const fallback = schemaKeyword(node, 'default');
  if (fallback !== undefined) lines.push('', `Default: \`${show(fallback)}\``);
  lines.push(...effectiveValues(snapshot, file, position, path));
  return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') }, range: context.range };
}

/** A table of the value per environment, shown only when some environment's overlay makes it differ from the file. */
function effectiveValues(snapshot: Snapshot, file: string, position: Position, path: readonly (string | number)[]): string[] {
  const resource = snapshot.result.resources.find((r) => r.file === file && contains(r.locate([]), position));
  if (!resource || resource.kind === 'Environment') return [];
  const base = show(getAt(resource.value, path));
  const rows = snapshot.result.environments.flatMap((env) => {
    const effective = env.resources.find((r) => r.id === resource.id);
    return effective ? [[env.environment.name, show(getAt(effective.value, path))] as const] : [];
  });
  if (rows.every(([, value]) => value === base)) return [];
  return ['', '| environment | effective value |', '| --- | --- |', ...rows.map(([env, value]) => `| ${env} | \`${value}\` |`)];
}

/** On a reference: what it names, where that is declared, and its description. */
function referenced(navigation: Navigation, file: string, position: Position): string[] {
  const target = navigation.targetAt(file, position);
  const span = target && navigation.declaration(target);
  if (!target || !span || (span.file === file && rangeContains(span.range, position))) return [];
  const name =
    target.kind === 'Model'
      ? `model \`${target.name}\` of Provider/${target.provider}`
      : target.kind === 'PromptVersion'
        ? `version \`${target.name}\` of Prompt/${target.prompt}`
        : target.kind === 'JwtIssuer'
          ? `JWT issuer \`${target.name}\``
          : `${target.kind}/${target.name}`;
  // Resources carry a description; models, versions and issuers are parts of one and have none of their own.
  const description = navigation.resource(`${target.kind}/${target.name}`)?.value.metadata?.description;
  return ['', `→ ${name}, declared at ${span.file}:${span.range.start.line + 1}${description ? `: ${description}` : ''}`];
}

function show(value: unknown): string {
  const text = value === undefined ? '(unset)' : JSON.stringify(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}
