// Maps a document path to a 1-based source span. Parsing records the spans of every node in a flat index
// (`SpanIndex`), so positions survive the trip from a parser thread cheaply, and the yaml AST need not be kept.
import { isMap, isSeq, LineCounter, type Node } from 'yaml';
import type { Location } from '../../kernel/diagnostics.ts';
import type { DocPath, LocateAt } from '../../kernel/resource.ts';

export interface SourceText {
  file: string;
  lineCounter: LineCounter;
}

type Range = [number, number];

/**
 * Source spans of a document's nodes, flattened so that handing them from a parser thread to the main one is
 * one copy: `nums` holds a node as NODE_INTS integers (kind, start, end, size in integers including its
 * children, key index, key start, key end), its children after it; `keys` the mapping keys (-1 for none).
 */
export interface SpanIndex {
  nums: Int32Array;
  keys: string[];
}

const LEAF = 0;
const MAP = 1;
const SEQ = 2;
const NULL = 3;
const NODE_INTS = 7;
// The slots of a node, in order; a range is its start slot and the next (`_END`, `_KEY_END`), read by `rangeAt`.
const [KIND, START, _END, SIZE, KEY, KEY_START, _KEY_END] = [0, 1, 2, 3, 4, 5, 6];

export function spanToLocation(src: SourceText, start: number, end: number): Location {
  const a = src.lineCounter.linePos(start);
  const b = src.lineCounter.linePos(Math.max(start, end));
  return { file: src.file, line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
}

/** Line starts of `body` (the text after any byte-order mark). */
export function countLines(body: string): LineCounter {
  const lines = new LineCounter();
  for (let at = 0; at >= 0; at = body.indexOf('\n', at) + 1 || -1) lines.addNewLine(at);
  return lines;
}

/** A source whose line starts are counted on first use: most files never need a position. */
export function lazySource(file: string, body: string): SourceText {
  let lines: LineCounter | undefined;
  return {
    file,
    get lineCounter() {
      return (lines ??= countLines(body));
    },
  };
}

export interface SpanKey {
  text: string;
  range?: Range;
}

/** Builds a span index in document order: `open` a node, add its children, then `close` it. */
export class SpanRecorder {
  private readonly nums: number[] = [];
  private readonly keys: string[] = [];

  open(node: unknown, key?: SpanKey): number {
    const at = this.nums.length;
    const range = rangeOf(node);
    const kind = node === null ? NULL : isMap(node) ? MAP : isSeq(node) ? SEQ : LEAF;
    this.nums.push(
      kind,
      range?.[0] ?? -1,
      range?.[1] ?? -1,
      0,
      key ? this.keys.push(key.text) - 1 : -1,
      key?.range?.[0] ?? -1,
      key?.range?.[1] ?? -1,
    );
    return at;
  }

  close(at: number): void {
    this.nums[at + SIZE] = this.nums.length - at;
  }

  leaf(node: unknown, key?: SpanKey): void {
    this.close(this.open(node, key));
  }

  index(): SpanIndex {
    return { nums: Int32Array.from(this.nums), keys: this.keys };
  }
}

/** Children of one mapping (by key, first occurrence) or list (in order), as offsets into `nums`. */
type Children = Map<string, number> | number[];

/**
 * Child lists per span index, built on first use for each node: a file can hold tens of thousands of findings
 * in one mapping, and scanning its children for each would be quadratic.
 */
const childCache = new WeakMap<SpanIndex, Map<number, Children>>();

function childrenOf({ nums, keys }: SpanIndex, cache: Map<number, Children>, node: number): Children {
  let children = cache.get(node);
  if (children) return children;
  const end = node + nums[node + SIZE]!;
  const offsets: number[] = [];
  for (let child = node + NODE_INTS; child < end; child += nums[child + SIZE]!) offsets.push(child);
  if (nums[node + KIND] === MAP) {
    const byKey = new Map<string, number>();
    for (const child of offsets) {
      const key = keys[nums[child + KEY]!];
      if (key !== undefined && !byKey.has(key)) byKey.set(key, child);
    }
    children = byKey;
  } else {
    children = offsets;
  }
  cache.set(node, children);
  return children;
}

/**
 * Span of the value at `path`, or with `at: 'key'` of its key (so "unknown property" findings point at the
 * key). A path that leaves the document stops at the deepest node that exists.
 */
export function locateInSpans(spans: SpanIndex, src: SourceText, path: DocPath, at: LocateAt = 'value'): Location {
  const { nums } = spans;
  let cache = childCache.get(spans);
  if (!cache) childCache.set(spans, (cache = new Map()));
  const rangeAt = (o: number, start: number): Range | undefined =>
    nums[o + start]! >= 0 ? [nums[o + start]!, nums[o + start + 1]!] : undefined;
  let node = 0;
  let span: Range = rangeAt(0, START) ?? [0, 0];
  for (const step of path) {
    const kind = nums[node + KIND];
    if (kind === MAP) {
      const child = (childrenOf(spans, cache, node) as Map<string, number>).get(String(step));
      if (child === undefined) break;
      const keyRange = rangeAt(child, KEY_START);
      span = (at === 'key' ? keyRange : rangeAt(child, START)) ?? keyRange ?? span;
      node = child;
      if (nums[node + KIND] === NULL) break;
    } else if (kind === SEQ && typeof step === 'number') {
      const child = (childrenOf(spans, cache, node) as number[])[step];
      if (child === undefined) break;
      node = child;
      span = rangeAt(node, START) ?? span;
    } else {
      break;
    }
  }
  return spanToLocation(src, span[0], span[1]);
}

export function rangeOf(node: unknown): Range | undefined {
  const range = (node as Node | null)?.range;
  return range ? [range[0], range[1]] : undefined;
}
