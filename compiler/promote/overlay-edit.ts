// Writes pins into an Environment overlay file through the `yaml` Document API, so comments, blank lines,
// quoting and flow/block styles survive; only the values that change are touched. Pure: text in, text out.
import { isMap, isSeq, parseAllDocuments, YAMLMap, YAMLSeq, type Document, type ToStringOptions } from 'yaml';
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
  let patches = doc.getIn(['spec', 'patches'], true);
  if (!isSeq(patches)) {
    doc.setIn(['spec', 'patches'], doc.createNode([]));
    patches = doc.getIn(['spec', 'patches'], true);
  }
  const seq = patches as YAMLSeq;
  seq.flow = false;
  let entry = seq.items.find((item) => isMap(item) && item.getIn(['target', 'kind']) === pin.kind && item.getIn(['target', 'name']) === pin.name) as YAMLMap | undefined;
  if (!entry) {
    entry = doc.createNode({ target: { kind: pin.kind, name: pin.name }, patch: { spec: {} } }) as YAMLMap;
    // Follow the file's style for targets (`target: { kind: Route, name: x }` is the convention).
    const sibling: unknown = seq.items.find(isMap)?.get('target', true);
    const target: unknown = entry.get('target', true);
    if (isMap(target)) target.flow = isMap(sibling) ? sibling.flow === true : true;
    seq.add(entry);
  }
  if (!isMap(entry.getIn(['patch', 'spec'], true))) entry.setIn(['patch', 'spec'], doc.createNode({}));
  const spec = entry.getIn(['patch', 'spec'], true) as YAMLMap;
  for (const edit of pin.items) applyItemEdit(doc, spec, edit);
  for (const edit of pin.values) spec.setIn(edit.path, doc.createNode(edit.value));
}

function applyItemEdit(doc: Document, spec: YAMLMap, edit: ItemEdit): void {
  let list: unknown = spec.get(edit.list, true);
  if (!isSeq(list)) {
    list = doc.createNode([]);
    spec.set(edit.list, list);
  }
  if (!isSeq(list)) return;
  const matches = (item: unknown) => isMap(item) && Object.entries(edit.key).every(([k, v]) => item.get(k) === v);
  const item = list.items.find(matches);
  if (!isMap(item)) {
    const created = doc.createNode({ ...edit.key, ...edit.set }) as YAMLMap;
    const items = list.items;
    created.flow = items.length > 0 && items.every((i) => isMap(i) && i.flow === true);
    list.add(created);
    return;
  }
  // Setting a scalar keeps its node, so a comment after `weight: 90  # canary` stays on its line.
  for (const [key, value] of Object.entries(edit.set)) item.set(key, value === null ? doc.createNode(null) : value);
}
