// A Prompt's variables schema against the paths its templates use: what is used but undeclared, and the reverse.
import type { DocPath } from '../kernel/resource.ts';
import { ITEMS, type TemplateUse } from './handlebars-template.ts';

/** The parts of a JSON Schema that declare variables. */
interface VariableSchema {
  properties?: Record<string, VariableSchema>;
  items?: VariableSchema;
}

const asSchema = (v: unknown): VariableSchema | undefined => (typeof v === 'object' && v !== null ? (v as VariableSchema) : undefined);

/**
 * The first undeclared prefix of a used path (`customer.nmae`), or undefined when declared. Top-level variables
 * must always be declared; below that, an object schema without `properties` accepts any field.
 */
export function undeclaredPrefix(use: readonly string[], variables: unknown): readonly string[] | undefined {
  let node = asSchema(variables) ?? {};
  for (let i = 0; i < use.length; i++) {
    const step = use[i]!;
    if (step === ITEMS) {
      if (!node.items) return undefined;
      node = node.items;
      continue;
    }
    if (step === 'length' && node.items) return undefined; // `{{list.length}}`
    const properties = node.properties;
    if (!properties) return i === 0 ? use.slice(0, 1) : undefined;
    if (!Object.hasOwn(properties, step)) return use.slice(0, i + 1);
    node = asSchema(properties[step]) ?? {};
  }
  return undefined;
}

export interface DeclaredVariable {
  /** `customer.name`, `items.[].sku`. */
  name: string;
  /** Where the declaration sits inside the Prompt. */
  path: DocPath;
}

/** Declared variables no template reads, neither directly nor through a parent (`{{customer}}`) or a child. */
export function unusedDeclarations(variables: unknown, uses: readonly TemplateUse[]): DeclaredVariable[] {
  const used = new Set(uses.map((u) => u.path.join('.')));
  const prefixes = new Set<string>();
  for (const u of uses) for (let i = 1; i <= u.path.length; i++) prefixes.add(u.path.slice(0, i).join('.'));
  const out: DeclaredVariable[] = [];
  const visit = (schema: VariableSchema | undefined, steps: string[], path: DocPath): void => {
    for (const [name, child] of Object.entries(schema?.properties ?? {})) {
      const here = [...steps, name];
      const key = here.join('.');
      const readAbove = here.some((_, i) => used.has(here.slice(0, i + 1).join('.')));
      if (readAbove) continue;
      if (!prefixes.has(key)) {
        out.push({ name: key, path: [...path, 'properties', name] });
        continue;
      }
      const sub = asSchema(child);
      visit(sub, here, [...path, 'properties', name]);
      if (sub?.items) visit(sub.items, [...here, ITEMS], [...path, 'properties', name, 'items']);
    }
  };
  visit(asSchema(variables), [], ['spec', 'variables']);
  return out;
}
