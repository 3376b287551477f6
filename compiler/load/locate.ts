// Maps a document path to a 1-based source span, through the yaml AST's node ranges.
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { Location } from '../diagnostics.ts';
import type { DocPath, LocateAt } from '../resource.ts';

export interface SourceText {
  file: string;
  lineCounter: LineCounter;
}

export function spanToLocation(src: SourceText, start: number, end: number): Location {
  const a = src.lineCounter.linePos(start);
  const b = src.lineCounter.linePos(Math.max(start, end));
  return { file: src.file, line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
}

/**
 * Span of the value at `path`, or with `at: 'key'` of its key (so "unknown property" findings point at the
 * key). A path that leaves the document stops at the deepest node that exists.
 */
export function locateInDocument(doc: Document, src: SourceText, path: DocPath, at: LocateAt = 'value'): Location {
  let node: unknown = doc.contents;
  let span: [number, number] = rangeOf(node) ?? [0, 0];
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(step));
      if (!pair) break;
      const keyRange = rangeOf(pair.key);
      const valueRange = rangeOf(pair.value);
      span = (at === 'key' ? keyRange : valueRange) ?? keyRange ?? span;
      node = pair.value;
      if (node === null) break;
    } else if (isSeq(node) && typeof step === 'number' && step < node.items.length) {
      node = node.items[step];
      span = rangeOf(node) ?? span;
    } else {
      break;
    }
  }
  return spanToLocation(src, span[0], span[1]);
}

function rangeOf(node: unknown): [number, number] | undefined {
  const range = (node as Node | null)?.range;
  return range ? [range[0], range[1]] : undefined;
}
