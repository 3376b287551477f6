// Mutations of a YAML file for fuzzing. Structural edits go through the yaml AST (delete, duplicate, retype,
// nest, grow) so the result is still YAML and reaches the later stages; text edits (tags, anchors and aliases,
// hostile characters, truncation, BOM, CRLF) break it in the ways people and tools do.
// A mutation is plain data, so a failing case prints as a readable recipe.
import fc from 'fast-check';
import { isPair, parseAllDocuments, visit, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';

export type Mutation =
  | { op: 'delete' | 'duplicate'; at: number }
  | { op: 'retype'; at: number; value: unknown }
  | { op: 'nest'; at: number; depth: number; shape: 'map' | 'seq'; flow: boolean }
  | { op: 'grow'; at: number; length: number }
  | { op: 'tag'; at: number; tag: string }
  | { op: 'alias'; anchorAt: number; aliasAt: number }
  | { op: 'replace'; at: number; text: string }
  | { op: 'insert'; offset: number; text: string }
  | { op: 'truncate'; offset: number }
  | { op: 'bom' | 'crlf' };

/** Characters that break parsers, terminals and reports: NUL, bidi overrides, lone surrogates, BOM, odd newlines. */
const HOSTILE_CHARS = [
  '\0',
  '\u202E',
  '\u2067',
  '\u200F',
  '\uD800',
  '\uDFFF',
  '\uFEFF',
  '\u2028',
  '\u0085',
  '\x7F',
  '\x1B[31m',
  '\t',
  '\r',
  '\r\n',
  '\n',
  ' ',
  '\\',
  '"',
  "'",
  '#',
  ':',
  ': ',
  '- ',
  '? ',
  '|',
  '>',
  '&a',
  '*a',
  '!!',
  '%YAML 1.1',
  '---',
  '...',
  '{',
  '}',
  '[',
  ']',
  ',',
  '{{',
  '}}',
  '${{ vars.X }}',
  '__proto__',
  'constructor',
  '😀',
  '\u0301',
];

/** Any code point, lone surrogates included (fast-check's `binary` unit takes seconds to build). */
const codePoint = fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp));

export const hostileText: fc.Arbitrary<string> = fc
  .array(fc.oneof(fc.constantFrom(...HOSTILE_CHARS), fc.string({ unit: codePoint, maxLength: 6 }), fc.string({ maxLength: 6 })), {
    maxLength: 6,
  })
  .map((parts) => parts.join(''));

/** YAML 1.1 / language-specific tags that unsafe loaders execute or decode. */
const TAGS = [
  '!!js/function',
  '!!js/undefined',
  '!!js/regexp',
  '!!python/object/apply:os.system',
  '!!binary',
  '!!set',
  '!!omap',
  '!!pairs',
  '!!timestamp',
  '!!float',
  '!!int',
  '!!str',
  '!!map',
  '!!seq',
  '!!null',
  '!custom',
  '!<tag:example.com,2000:x>',
];

const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  hostileText,
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(hostileText, fc.integer(), { maxKeys: 2 }),
  fc.jsonValue({ maxDepth: 2 }),
);

const at = fc.nat();

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constantFrom('delete' as const, 'duplicate' as const), at }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('retype' as const), at, value: wrongValue }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('nest' as const),
      at,
      depth: fc.integer({ min: 1, max: 80 }),
      shape: fc.constantFrom('map' as const, 'seq' as const),
      flow: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('grow' as const), at, length: fc.integer({ min: 10, max: 3_000 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('tag' as const), at, tag: fc.constantFrom(...TAGS) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('alias' as const), anchorAt: at, aliasAt: at }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('replace' as const), at, text: hostileText }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('insert' as const), offset: at, text: hostileText }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('truncate' as const), offset: at }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constantFrom('bom' as const, 'crlf' as const) }) },
);

export function applyMutations(text: string, mutations: readonly Mutation[]): string {
  return mutations.reduce(applyMutation, text);
}

function applyMutation(text: string, m: Mutation): string {
  switch (m.op) {
    case 'delete':
    case 'duplicate':
    case 'retype':
    case 'nest':
    case 'grow':
      return editStructure(text, m);
    case 'tag': {
      const site = pick(valueSites(text), m.at);
      return site ? splice(text, site[0], site[0], `${m.tag} `) : text;
    }
    case 'alias': {
      const sites = valueSites(text);
      const anchor = pick(sites, m.anchorAt);
      const alias = pick(sites, m.aliasAt);
      if (!anchor || !alias) return text;
      // The later edit first, so the earlier offsets stay valid; an alias before its anchor is a case too.
      const edits: [number, number, string][] = [
        [anchor[0], anchor[0], '&fz '],
        [alias[0], alias[1], '*fz'],
      ];
      return edits.sort((a, b) => b[0] - a[0]).reduce((t, [s, e, insert]) => splice(t, s, e, insert), text);
    }
    case 'replace': {
      const site = pick(valueSites(text), m.at);
      return site ? splice(text, site[0], site[1], m.text) : text;
    }
    case 'insert': {
      const offset = m.offset % (text.length + 1);
      return splice(text, offset, offset, m.text);
    }
    case 'truncate':
      return text.slice(0, m.offset % (text.length + 1));
    case 'bom':
      return `\uFEFF${text}`;
    case 'crlf':
      return text.replace(/\r?\n/g, '\r\n');
  }
}

type StructuralMutation = Extract<Mutation, { op: 'delete' | 'duplicate' | 'retype' | 'nest' | 'grow' }>;

/** An item of a collection: a pair of a mapping or an element of a sequence. */
interface Slot {
  doc: Document.Parsed;
  collection: YAMLMap | YAMLSeq;
  index: number;
}

/** Structural edits need a file that parses cleanly; on one that does not, they change nothing. */
function editStructure(text: string, m: StructuralMutation): string {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs) || docs.some((d) => d.errors.length > 0)) return text;
  const slot = pick(slots(docs), m.at);
  if (!slot) return text;
  const { doc, collection, index } = slot;
  const item = collection.items[index] as Pair | Node;
  const setValue = (value: unknown) => {
    const node = doc.createNode(value, { flow: m.op === 'nest' ? m.flow : m.op === 'grow' });
    if (isPair(item)) item.value = node;
    else collection.items[index] = node as never;
  };
  switch (m.op) {
    case 'delete':
      collection.items.splice(index, 1);
      break;
    case 'duplicate':
      collection.items.splice(index + 1, 0, item.clone() as never);
      break;
    case 'retype':
      setValue(m.value);
      break;
    case 'nest':
      setValue(nested(m.depth, m.shape));
      break;
    case 'grow':
      setValue(Array.from({ length: m.length }, (_, i) => (i % 2 ? `item-${i}` : i)));
      break;
  }
  try {
    return docs.map((d) => d.toString({ lineWidth: 0 })).join('');
  } catch {
    return text; // an alias before its anchor (an earlier text edit) parses, but cannot be written back
  }
}

function nested(depth: number, shape: 'map' | 'seq'): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = shape === 'map' ? { k: value } : [value];
  return value;
}

function slots(docs: Document.Parsed[]): Slot[] {
  const out: Slot[] = [];
  for (const doc of docs) {
    visit(doc, {
      Map: (_, collection) => void collection.items.forEach((_p, index) => out.push({ doc, collection, index })),
      Seq: (_, collection) => void collection.items.forEach((_n, index) => out.push({ doc, collection, index })),
    });
  }
  return out;
}

/** Source ranges [start, end) of every mapping value and sequence element. */
function valueSites(text: string): [number, number][] {
  const sites: [number, number][] = [];
  const add = (node: unknown) => {
    const range = (node as Node | null)?.range;
    if (range) sites.push([range[0], range[1]]);
  };
  for (const doc of [parseAllDocuments(text)].flat()) {
    visit(doc, {
      Map: (_, map) => void map.items.forEach((pair) => add(pair.value)),
      Seq: (_, seq) => void seq.items.forEach(add),
    });
  }
  return sites;
}

function pick<T>(list: readonly T[], index: number): T | undefined {
  return list.length ? list[index % list.length] : undefined;
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}
