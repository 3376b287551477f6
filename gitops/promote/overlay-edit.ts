// Writes pins into an Environment overlay file by splicing its text: a changed value replaces only the
// bytes of that value, and a missing entry is inserted as new lines (or `, key: value` in a flow collection).
// Every other byte stays as it was: comments, the spacing before them, blank lines, quoting, flow or block
// style. The `yaml` parser only finds where things are. Pure: text in, text out.
import {
  Document,
  isCollection,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  Scalar,
  visit,
  type Node,
  type Pair,
  type ToStringOptions,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import type { Pin } from './pins.ts';

export class OverlayEditError extends Error {
  override name = 'OverlayEditError';
}

/** A key of a mapping, or the item of a sequence whose fields include `match` (how overlays merge lists). */
type Step = string | { match: Record<string, unknown> };

interface Splice {
  start: number;
  end: number;
  text: string;
}

export function applyPins(text: string, environment: string, pins: readonly Pin[]): string {
  environmentDocument(text, environment);
  // Found only when something new is written: a promotion that changes values only never needs it.
  let found: ToStringOptions | undefined;
  const style = () => (found ??= fragmentStyle(text));
  let out = text;
  for (const pin of pins) {
    const entry: Step[] = ['spec', 'patches', { match: { target: { kind: pin.kind, name: pin.name } } }, 'patch', 'spec'];
    for (const edit of pin.items) {
      for (const [key, value] of Object.entries(edit.set))
        out = setIn(out, environment, [...entry, edit.list, { match: edit.key }, key], value, style);
    }
    for (const edit of pin.values) out = setIn(out, environment, [...entry, ...edit.path], edit.value, style);
  }
  return out;
}

function environmentDocument(text: string, environment: string): Document.Parsed {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs) || docs.some((d) => d.errors.length > 0)) throw new OverlayEditError('the overlay file does not parse as YAML.');
  const doc = docs.find((d) => d.getIn(['kind']) === 'Environment' && d.getIn(['metadata', 'name']) === environment);
  if (!doc) throw new OverlayEditError(`the file declares no Environment named ${environment}.`);
  if (!isMap(doc.contents)) throw new OverlayEditError('the Environment document is not a mapping.');
  return doc;
}

/**
 * One edit, on freshly parsed text: walks `steps` and either replaces the value at the end, or inserts the
 * first missing step with everything below it. Text is parsed again for the next edit, so that each edit
 * finds what the ones before it inserted.
 */
function setIn(text: string, environment: string, steps: readonly Step[], value: unknown, style: () => ToStringOptions): string {
  const doc = environmentDocument(text, environment);
  const ctx: Context = { text, style, eol: text.includes('\r\n') ? '\r\n' : '\n' };
  let node: unknown = doc.contents;
  /** The pair whose value `node` is, and whether it sits in a flow mapping (where no block value can go). */
  let holder: Holder | undefined;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const below = () => valueBuiltFrom(steps.slice(i + 1), value);
    // `patches:` with nothing after it, or an empty flow `[]` in block context: the value is replaced.
    const empty = !isCollection(node) || (node.items.length === 0 && holder !== undefined && !holder.inFlow);
    if (empty && holder) return apply(text, replaceValue(ctx, holder, valueBuiltFrom(steps.slice(i), value)));
    if (typeof step === 'string') {
      if (!isMap(node)) throw new OverlayEditError(`expected a mapping at ${describe(steps.slice(0, i))}.`);
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === step);
      if (!pair) return apply(text, addPair(ctx, node, step, below()));
      holder = { pair, inFlow: node.flow === true };
      if (i === steps.length - 1) return apply(text, replaceValue(ctx, holder, value));
      node = pair.value;
    } else {
      if (!isSeq(node)) throw new OverlayEditError(`expected a list at ${describe(steps.slice(0, i))}.`);
      const item = node.items.find((it) => isMap(it) && includes(it.toJSON(), step.match));
      if (!item) return apply(text, appendItem(ctx, node, { ...step.match, ...(below() as object) }));
      holder = undefined;
      node = item;
    }
  }
  return text;
}

interface Context {
  text: string;
  style: () => ToStringOptions;
  eol: string;
}

interface Holder {
  pair: Pair;
  inFlow: boolean;
}

/** Splices in order of position, applied from the last so that earlier offsets still hold. */
function apply(text: string, splices: Splice | Splice[]): string {
  return [splices]
    .flat()
    .reverse()
    .reduce((out, s) => out.slice(0, s.start) + s.text + out.slice(s.end), text);
}

/** The value that `steps` lead to, built from nothing: keys become mappings, item steps one-item lists. */
function valueBuiltFrom(steps: readonly Step[], leaf: unknown): unknown {
  return steps.reduceRight<unknown>(
    (inner, step) => (typeof step === 'string' ? { [step]: inner } : [{ ...step.match, ...(inner as object) }]),
    leaf,
  );
}

function includes(actual: unknown, expected: Record<string, unknown>): boolean {
  if (typeof actual !== 'object' || actual === null) return false;
  return Object.entries(expected).every(([k, v]) => {
    const a = (actual as Record<string, unknown>)[k];
    return typeof v === 'object' && v !== null ? includes(a, v as Record<string, unknown>) : a === v;
  });
}

function describe(steps: readonly Step[]): string {
  return steps.map((s) => (typeof s === 'string' ? s : JSON.stringify(s.match))).join('.') || 'the document';
}

/** A scalar replaced by a scalar keeps its quoting; anything else is written in the style of what it replaces. */
function replaceValue(ctx: Context, { pair, inFlow }: Holder, value: unknown): Splice | Splice[] {
  const old = pair.value as Node | null;
  const range = old?.range;
  if (isScalar(old) && range && !isObject(value)) {
    const quoted =
      typeof value === 'string' && (old.type === Scalar.QUOTE_DOUBLE || old.type === Scalar.QUOTE_SINGLE) ? old.type : undefined;
    return { start: range[0], end: range[1], text: render(ctx, createNode(value, [], quoted), true) };
  }
  if (range && (inFlow || (isCollection(old) && old.flow && old.items.length > 0))) {
    return { start: range[0], end: range[1], text: render(ctx, createNode(value), true) };
  }
  // A block value starts on the line after its key: the old value goes, what follows it on the line (a
  // comment) stays, and the new value's lines come after that line.
  const key = (pair.key as Node).range!;
  if (!isObject(value)) return [{ start: key[1], end: range?.[1] ?? key[1], text: `: ${render(ctx, createNode(value), true)}` }];
  const lines = indent(render(ctx, createNode(value), false), column(ctx.text, key[0]) + (ctx.style().indent ?? 2), ctx.eol);
  return [{ start: key[1], end: range?.[1] ?? key[1], text: ':' }, insertLines(ctx, lineEnd(ctx.text, range?.[1] ?? key[1]), lines)];
}

function addPair(ctx: Context, map: YAMLMap, key: string, value: unknown): Splice {
  const last = map.items.at(-1);
  if (map.flow) {
    const entry = `${render(ctx, createNode(key), true)}: ${render(ctx, createNode(value), true)}`;
    if (!last) return { start: map.range![0], end: map.range![1], text: render(ctx, createNode({ [key]: value }), true) };
    return insertAfter(((last.value ?? last.key) as Node).range![1], `, ${entry}`);
  }
  const at = lineEnd(ctx.text, ((last!.value ?? last!.key) as Node).range![1]);
  return insertLines(
    ctx,
    at,
    indent(render(ctx, createNode({ [key]: value }), false), column(ctx.text, (last!.key as Node).range![0]), ctx.eol),
  );
}

function appendItem(ctx: Context, seq: YAMLSeq, item: Record<string, unknown>): Splice {
  const last = seq.items.at(-1) as Node | undefined;
  const node = createNode(item, seq.items);
  if (seq.flow) {
    if (!last) return { start: seq.range![0], end: seq.range![1], text: render(ctx, createNode([item]), true) };
    return insertAfter(last.range![1], `, ${render(ctx, node, true)}`);
  }
  const list = new Document().createNode([]) as YAMLSeq;
  list.items.push(node);
  return insertLines(ctx, lineEnd(ctx.text, last!.range![1]), indent(render(ctx, list, false), column(ctx.text, seq.range![0]), ctx.eol));
}

function insertAfter(offset: number, text: string): Splice {
  return { start: offset, end: offset, text };
}

/** Whole lines inserted at a line start; a file without a final newline gets one before them. */
function insertLines(ctx: Context, at: number, lines: string): Splice {
  const needsBreak = at === ctx.text.length && ctx.text.length > 0 && !ctx.text.endsWith('\n');
  return { start: at, end: at, text: (needsBreak ? ctx.eol : '') + lines };
}

/** The offset just after the end of the line holding the character before `offset` (after its comment). */
function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf('\n', Math.max(0, offset - 1));
  return newline === -1 ? text.length : newline + 1;
}

function column(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

function indent(block: string, by: number, eol: string): string {
  const pad = ' '.repeat(by);
  return block
    .split('\n')
    .filter((line, i, all) => i < all.length - 1 || line !== '')
    .map((line) => (line ? pad + line : line))
    .join(eol)
    .concat(eol);
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null;
}

/**
 * A new node for `value`. Strings that other YAML readers take for dates or numbers (`2024-07-18`, `1.10`)
 * are quoted, as people write them in these files; `target: { kind, name }` is written in flow style, the
 * convention of overlays; a list item follows its siblings (flow when they all are, and so are its mappings).
 */
function createNode(value: unknown, siblings: readonly unknown[] = [], quote?: Scalar.Type): Node {
  const node = new Document().createNode(value) as Node;
  visit(node, {
    Scalar(_, scalar: Scalar) {
      if (quote) scalar.type = quote;
      else if (typeof scalar.value === 'string' && /^[-+.:0-9TZ]+$/.test(scalar.value)) scalar.type = Scalar.QUOTE_DOUBLE;
    },
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === 'target' && isMap(pair.value)) pair.value.flow = true;
    },
  });
  if (isMap(node) && siblings.length > 0) {
    node.flow = siblings.every((s) => isMap(s) && s.flow === true);
    for (const pair of node.items) {
      const like: unknown = siblings.map((s) => (isMap(s) ? s.get(pair.key as Scalar, true) : undefined)).find((v) => isMap(v));
      if (isMap(like) && isMap(pair.value)) pair.value.flow = like.flow === true;
    }
  }
  return node;
}

/** `node` as YAML text in the file's style: inline (no final newline) or as block lines from column 0. */
function render(ctx: Context, node: Node, inline: boolean): string {
  if (inline && isCollection(node)) node.flow = true;
  const doc = new Document();
  doc.contents = node;
  const text = doc.toString(ctx.style());
  return inline ? text.replace(/\n$/, '') : text;
}

/**
 * How new lines are written so they look like the file's own: list indentation and `{ a }` vs `{a}`, found
 * as the serialisation options under which the file, printed back by `yaml`, differs least from itself.
 */
function fragmentStyle(text: string): ToStringOptions {
  const docs = parseAllDocuments(text) as Document[];
  const candidates: ToStringOptions[] = [];
  for (const indent of [2, 4]) {
    for (const indentSeq of [true, false]) {
      for (const flowCollectionPadding of [true, false]) candidates.push({ indent, indentSeq, flowCollectionPadding, lineWidth: 0 });
    }
  }
  const distance = (o: ToStringOptions) => {
    const out = docs
      .map((d) => d.toString(o))
      .join('')
      .split('\n');
    const lines = text.split('\n');
    return lines.filter((l, i) => out[i] !== l).length + Math.abs(out.length - lines.length);
  };
  let best = candidates[0]!;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
    if (d === 0) break;
  }
  return best;
}
