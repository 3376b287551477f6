// Writes pins into an Environment overlay file through the `yaml` Document API, so comments, blank lines,
// quoting and flow/block styles survive; only the values that change are touched. Pure: text in, text out.
import { isMap, isSeq, parseAllDocuments, Scalar, visit, YAMLMap, YAMLSeq, type Document, type Node, type ToStringOptions } from 'yaml';
import type { ItemEdit, Pin } from './pins.ts';

export class OverlayEditError extends Error {
  override name = 'OverlayEditError';
}

export function applyPins(text: string, environment: string, pins: readonly Pin[]): string {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs) || docs.some((d) => d.errors.length > 0)) throw new OverlayEditError('the overlay file does not parse as YAML.');
  const doc = docs.find((d) => d.getIn(['kind']) === 'Environment' && d.getIn(['metadata', 'name']) === environment);
  if (!doc) throw new OverlayEditError(`the file declares no Environment named ${environment}.`);
  const options = roundTripOptions(docs, text);
  for (const pin of pins) applyPin(doc, pin);
  return docs.map((d) => d.toString(options)).join('');
}

/**
 * Serialisation options under which the file, untouched, prints back byte for byte (or nearly): the
 * formatting choices yaml cannot record per node, such as list indentation and `{ a }` vs `{a}`.
 */
function roundTripOptions(docs: Document[], text: string): ToStringOptions {
  const candidates: ToStringOptions[] = [];
  for (const indent of [2, 4]) {
    for (const indentSeq of [true, false]) {
      for (const flowCollectionPadding of [true, false]) candidates.push({ indent, indentSeq, flowCollectionPadding, lineWidth: 0 });
    }
  }
  const distance = (o: ToStringOptions) => {
    const out = docs.map((d) => d.toString(o)).join('').split('\n');
    const lines = text.split('\n');
    return lines.filter((l, i) => out[i] !== l).length + Math.abs(out.length - lines.length);
  };
  let best = candidates[0];
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
    if (d === 0) break;
  }
  return best;
}

function applyPin(doc: Document, pin: Pin): void {
  const patches = seqAt(doc, doc.contents, ['spec', 'patches']);
  let entry = patches.items.find((item) => isMap(item) && item.getIn(['target', 'kind']) === pin.kind && item.getIn(['target', 'name']) === pin.name);
  if (!isMap(entry)) {
    const created = nodeOf(doc, { target: { kind: pin.kind, name: pin.name }, patch: { spec: {} } }) as YAMLMap;
    // Follow the file's style for targets (`target: { kind: Route, name: x }` is the convention).
    const sibling: unknown = patches.items.find(isMap)?.get('target', true);
    const target: unknown = created.get('target', true);
    if (isMap(target)) target.flow = isMap(sibling) ? sibling.flow === true : true;
    patches.add(created);
    entry = created;
  }
  const spec = mapAt(doc, entry, ['patch', 'spec']);
  for (const edit of pin.items) applyItemEdit(doc, seqAt(doc, spec, [edit.list]), edit);
  for (const edit of pin.values) spec.setIn(edit.path, nodeOf(doc, edit.value));
}

function applyItemEdit(doc: Document, list: YAMLSeq, edit: ItemEdit): void {
  const item = list.items.find((i) => isMap(i) && Object.entries(edit.key).every(([k, v]) => i.get(k) === v));
  if (!isMap(item)) {
    const created = nodeOf(doc, { ...edit.key, ...edit.set }) as YAMLMap;
    created.flow = list.items.length > 0 && list.items.every((i) => isMap(i) && i.flow === true);
    list.add(created);
    return;
  }
  // Setting a scalar keeps its node, so a comment after `weight: 90  # canary` stays on its line.
  for (const [key, value] of Object.entries(edit.set)) item.set(key, value === null ? nodeOf(doc, null) : value);
}

/**
 * A new node for `value`. Strings that other YAML readers take for dates or numbers (`2024-07-18`, `1.10`)
 * are quoted, as people write them in these files.
 */
function nodeOf(doc: Document, value: unknown): Node {
  const node = doc.createNode(value);
  visit(node, {
    Scalar(_, scalar: Scalar) {
      if (typeof scalar.value === 'string' && /^[-+.:0-9TZ]+$/.test(scalar.value)) scalar.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return node;
}

/** The block sequence at `path` under `node`, created when missing (an empty flow `[]` becomes a block). */
function seqAt(doc: Document, node: unknown, path: string[]): YAMLSeq {
  const parent = mapAt(doc, node, path.slice(0, -1));
  const found: unknown = parent.get(path[path.length - 1], true);
  if (isSeq(found) && (found.items.length > 0 || !found.flow)) return found;
  const created = new YAMLSeq(doc.schema);
  parent.set(path[path.length - 1], created);
  return created;
}

/** The map at `path` under `node`, created (block style) where missing. */
function mapAt(doc: Document, node: unknown, path: string[]): YAMLMap {
  if (!isMap(node)) throw new OverlayEditError('the Environment document is not a mapping.');
  let map: YAMLMap = node;
  for (const key of path) {
    const next: unknown = map.get(key, true);
    if (isMap(next)) map = next;
    else {
      const created = new YAMLMap(doc.schema);
      map.set(key, created);
      map = created;
    }
  }
  return map;
}
