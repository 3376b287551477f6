// Documents generated from the kinds' JSON Schemas, for fuzzing past the loader: the shapes the schemas describe,
// with names and references drawn from a small pool (so references sometimes resolve and names collide), strings
// that are sometimes templates, regexes or schemas, and (with `chaos`) any JSON value at a low rate anywhere.
import fc from 'fast-check';
import { stringify } from 'yaml';
import type { SourceFile } from '../../compiler/load/load-project.ts';
import { KINDS, type Kind } from '../../schema/kinds.ts';
import { loadSchemas, type JsonSchema } from '../../schema/load-schemas.ts';

const NAMES = ['openai', 'anthropic', 'chat-default', 'gpt-4o-mini', 'v1', 'v2', 'prod', 'staging', 'team-a', 'support'];
/** Handlebars that prompts and Policy messages may hold, including the tricks the renderers must refuse. */
const TEMPLATES = [
  '{{message}}',
  '{{resource.metadata.name}} in {{environment}}',
  '{{#each items}}{{name}}{{/each}}',
  '{{> partial}}',
  '{{#if}}',
  '{{lookup this "constructor"}}',
  '{{#with (lookup this "__proto__")}}{{polluted}}{{/with}}',
  '{{constructor.constructor}}',
  '{{',
];
/** Regexes for `Matches` conditions and redaction patterns: safe, catastrophic and invalid ones. */
const REGEXES = ['^gpt-', '(a+)+$', '([a-z]+)*$', '(a|ab)*c', '[', '(?<n>x)\\k<n>', '\\d+\\d*'];
/** `fc.webUrl` takes seconds to build; these cover the shapes that matter (schemes, ports, ids, paths). */
const URLS = [
  'https://api.openai.com/v1',
  'http://127.0.0.1:8000/v1',
  'https://user:pw@example.com',
  'ftp://example.com',
  'https://[::1]:99999',
  'notaurl',
];
/** Bodies for the fields that hold a JSON Schema (Policy assertions, prompt variables). */
const SCHEMAS: JsonSchema[] = [
  { type: 'object', required: ['spec'] },
  { properties: { spec: { type: 'string' } } },
  { $ref: '#/$defs/missing' },
  { $ref: 'https://example.com/remote.schema.json' },
  { type: 'string', pattern: '(a+)+$' },
  { type: 'nonsense' },
  { not: {} },
];

const anyValue = fc.jsonValue({ maxDepth: 3 });
const { common, kinds } = loadSchemas();

interface Options {
  /** Replace a value by any JSON value at a low rate. */
  chaos: boolean;
}

const built = new Map<string, fc.Arbitrary<unknown>>();

/** One document of `kind` (built once per kind and options: building parses every pattern). */
export function documentArb(kind: Kind, options: Options): fc.Arbitrary<unknown> {
  const key = `${kind}:${options.chaos}`;
  if (!built.has(key)) built.set(key, new Generator(options).schema(kinds[kind], kinds[kind]));
  return built.get(key)!;
}

/** 1-8 documents of any kinds, spread over 1-3 files. */
export function generatedRepoArb(options: Options): fc.Arbitrary<SourceFile[]> {
  const placed = fc.tuple(
    fc.constantFrom(...KINDS).chain((kind) => documentArb(kind, options)),
    fc.nat({ max: 2 }),
  );
  return fc.array(placed, { minLength: 1, maxLength: 8 }).map((docs) => {
    const files = new Map<string, string[]>();
    for (const [doc, file] of docs) files.set(`generated/${file}.yaml`, [...(files.get(`generated/${file}.yaml`) ?? []), stringify(doc)]);
    return [...files].map(([path, texts]) => ({ path, text: texts.join('---\n') }));
  });
}

class Generator {
  constructor(private readonly options: Options) {}

  schema(schema: JsonSchema, root: JsonSchema): fc.Arbitrary<unknown> {
    const shaped = this.shaped(schema, root);
    return this.options.chaos ? fc.oneof({ weight: 40, arbitrary: shaped }, { weight: 1, arbitrary: anyValue }) : shaped;
  }

  private shaped(schema: JsonSchema, root: JsonSchema): fc.Arbitrary<unknown> {
    if (typeof schema.$ref === 'string') {
      const [file, pointer] = schema.$ref.split('#');
      const target = file ? common : root;
      return this.schema(resolvePointer(target, pointer ?? ''), target);
    }
    if ('const' in schema) return fc.constant(schema.const);
    if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
    if (Array.isArray(schema.anyOf)) return fc.oneof(...(schema.anyOf as JsonSchema[]).map((s) => this.schema(s, root)));
    switch (schema.type) {
      case 'string':
        return stringArb(schema);
      case 'integer':
        return fc.integer({ min: num(schema.minimum, -1_000), max: num(schema.maximum, 1_000_000) });
      case 'number':
        return fc.double({ min: num(schema.minimum, -1e6), max: num(schema.maximum, 1e6), noNaN: true });
      case 'boolean':
        return fc.boolean();
      case 'array': {
        const min = num(schema.minItems, 0);
        return fc.array(this.schema((schema.items as JsonSchema) ?? {}, root), { minLength: min, maxLength: min + 3 });
      }
      case 'object':
        return this.object(schema, root);
      default:
        return anyValue;
    }
  }

  private object(schema: JsonSchema, root: JsonSchema): fc.Arbitrary<unknown> {
    const properties = schema.properties as Record<string, JsonSchema> | undefined;
    if (properties) {
      const model = Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, this.schema(s, root)]));
      return fc.record(model, { requiredKeys: (schema.required as string[] | undefined) ?? [] });
    }
    const additional = schema.additionalProperties;
    if (typeof additional === 'object' && additional !== null) {
      const names = (schema.propertyNames as JsonSchema | undefined)?.pattern;
      const key =
        typeof names === 'string'
          ? fc.stringMatching(new RegExp(names))
          : fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 10 }));
      return fc.dictionary(key, this.schema(additional as JsonSchema, root), { maxKeys: 3 });
    }
    // A free-form object: in these schemas, a JSON Schema (assertions, prompt variables) or a whole document.
    return fc.oneof(fc.constantFrom(...SCHEMAS), fc.dictionary(fc.string({ maxLength: 8 }), anyValue, { maxKeys: 3 }));
  }
}

function stringArb(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'date')
    return fc
      .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
  if (schema.format === 'uri') return fc.constantFrom(...URLS);
  const min = num(schema.minLength, 0);
  const max = num(schema.maxLength, Infinity);
  const fits = (s: string) => s.length >= min && s.length <= max;
  if (typeof schema.pattern === 'string') {
    const re = new RegExp(schema.pattern);
    const pool = NAMES.filter((n) => re.test(n));
    // fast-check maps a negated class over all of Unicode up front (seconds); printable ASCII is enough here.
    const matching = fc.stringMatching(new RegExp(schema.pattern.replace(/\[\^[^\]]*\]/g, '[!-~]'))).filter(fits);
    return pool.length ? fc.oneof(fc.constantFrom(...pool), matching) : matching;
  }
  return fc.oneof(fc.constantFrom(...NAMES, ...TEMPLATES, ...REGEXES), fc.string({ maxLength: 24 })).filter(fits);
}

function resolvePointer(root: JsonSchema, pointer: string): JsonSchema {
  return pointer
    .split('/')
    .filter(Boolean)
    .reduce<JsonSchema>((node, step) => node[step] as JsonSchema, root);
}

function num(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}
