// A file too large for one ConfigMap (Kubernetes refuses objects over 1 MiB), split into numbered ConfigMaps
// plus an index in sha256sum's format that lists the parts in order with their hashes, so that a reader can
// tell a complete set from one that Kubernetes has only half updated (it updates a volume's ConfigMaps one by one).
//
// The text is cut at line boundaries, between resources where it can: plans diff each part line by line. Where
// to cut is decided by the content (a hash of the block before the cut), not by a running byte count, so a
// change to one resource rewrites its part and perhaps the next, instead of shifting every later part.
import { hash } from 'node:crypto';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { sha256Hex } from '../emit.ts';
import type { ObjectMeta } from './objects.ts';

/** Half the object limit: every part and the object around it stay well under 1 MiB. */
export const PART_MAX_BYTES = 512 * 1024;
/** No cut before this many bytes, so that a config does not become hundreds of tiny objects. */
const PART_MIN_BYTES = 256 * 1024;
/** Past the minimum, a cut comes on average after this many more bytes. */
const PART_MEAN_EXTRA_BYTES = 128 * 1024;

/** Where a text's lines start, their sizes, and the depth at which each opens a block (typed arrays: a 10 MB config
 * has 450,000 lines, and arrays of numbers that size were a tenth of a large build's garbage collection). */
interface Lines {
  text: string;
  /** Offsets of line starts, and the text's length last. */
  starts: Int32Array;
  /** Bytes before each line start (UTF-8): `starts` itself for ASCII text. */
  bytesBefore: Int32Array | Float64Array;
  /** Leading spaces of a line that opens a block; FLAT for a blank line or a JSON closing bracket. */
  depth: Int32Array;
}

/** The depth of a line that opens no block: deeper than any line's indentation can be. */
const FLAT = 0x7fffffff;

const NON_ASCII = /[^\x00-\x7f]/;

function scanLines(text: string): Lines {
  let count = 0;
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', nl + 1)) count++;
  if (text.length && text.charCodeAt(text.length - 1) !== 10) count++;
  const starts = new Int32Array(count + 1);
  const depth = new Int32Array(count);
  // In ASCII text (a config's JSON, usually) a line's bytes are its characters: no copy of each line to count them.
  const ascii = !NON_ASCII.test(text);
  const bytesBefore = ascii ? starts : new Float64Array(count + 1);
  let bytes = 0;
  let line = 0;
  for (let at = 0; at < text.length; line++) {
    const end = text.indexOf('\n', at);
    const next = end === -1 ? text.length : end + 1;
    let i = at;
    while (text.charCodeAt(i) === 32) i++;
    const c = text.charCodeAt(i);
    // JSON's closing brackets end the block above them rather than start one.
    depth[line] = i >= next || c === 10 || c === 13 || c === 93 || c === 125 ? FLAT : i - at;
    starts[line] = at;
    if (!ascii) {
      bytesBefore[line] = bytes;
      bytes += Buffer.byteLength(text.slice(at, next));
    }
    at = next;
  }
  starts[count] = text.length;
  if (!ascii) bytesBefore[count] = bytes;
  return { text, starts, bytesBefore, depth };
}

/**
 * What `blocks` cut, in order: most blocks are lines of the text (from one offset to the next, so that consecutive
 * ones are one slice of it); a line longer than a part is cut between characters into blocks with text of their own.
 */
interface Blocks {
  starts: number[];
  ends: number[];
  bytes: number[];
  /** The text of a block cut from within a line, by its index. */
  texts: Map<number, string>;
}

/**
 * Lines `from`..`to` as blocks of at most PART_MAX_BYTES where possible: a block too large is divided where its
 * shallowest lines open (top-level keys, then array items or list entries, and so on down).
 */
function blocks(l: Lines, from: number, to: number, out: Blocks): void {
  const bytes = l.bytesBefore[to]! - l.bytesBefore[from]!;
  if (bytes <= PART_MAX_BYTES) {
    out.starts.push(l.starts[from]!);
    out.ends.push(l.starts[to]!);
    out.bytes.push(bytes);
    return;
  }
  if (to - from === 1) {
    pieces(l.text.slice(l.starts[from], l.starts[to]), l.starts[from]!, out);
    return;
  }
  let shallowest = FLAT;
  for (let i = from + 1; i < to; i++) if (l.depth[i]! < shallowest) shallowest = l.depth[i]!;
  let start = from;
  for (let i = from + 1; i < to; i++) {
    // With no line to divide at (a deep block scalar), every line is a block of its own.
    if (l.depth[i] === shallowest) {
      blocks(l, start, i, out);
      start = i;
    }
  }
  blocks(l, start, to, out);
}

/** A line longer than a part (a list of every route on one line), cut between characters. */
function pieces(line: string, at: number, out: Blocks): void {
  const utf8 = Buffer.from(line);
  for (let from = 0; from < utf8.length; ) {
    let end = Math.min(utf8.length, from + PART_MAX_BYTES);
    while (end < utf8.length && (utf8[end]! & 0xc0) === 0x80) end--; // not inside a character's bytes
    out.texts.set(out.starts.length, utf8.toString('utf8', from, end));
    out.starts.push(at);
    out.ends.push(at);
    out.bytes.push(end - from);
    from = end;
  }
}

/** Cuts after a block with a probability proportional to its size, decided by its hash: the same block, the same cut. */
function cutAfter(block: string, bytes: number): boolean {
  return hash('sha256', block, 'buffer').readUInt32BE(0) / 2 ** 32 < bytes / PART_MEAN_EXTRA_BYTES;
}

/** `text` in parts of at most PART_MAX_BYTES that, concatenated in order, give it back. */
export function splitText(text: string): string[] {
  const lines = scanLines(text);
  const all: Blocks = { starts: [], ends: [], bytes: [], texts: new Map() };
  blocks(lines, 0, lines.depth.length, all);
  const blockText = (b: number) => all.texts.get(b) ?? text.slice(all.starts[b], all.ends[b]);
  const parts: string[] = [];
  let first = 0;
  let size = 0;
  // A part of whole lines is one slice of the text; one with pieces of a line, their texts joined.
  const flush = (next: number) => {
    if (size) {
      const cut = [...all.texts.keys()].some((b) => b >= first && b < next);
      parts.push(
        cut
          ? Array.from({ length: next - first }, (_, i) => blockText(first + i)).join('')
          : text.slice(all.starts[first], all.ends[next - 1]),
      );
    }
    first = next;
    size = 0;
  };
  for (let b = 0; b < all.bytes.length; b++) {
    const bytes = all.bytes[b]!;
    if (size + bytes > PART_MAX_BYTES) flush(b);
    size += bytes;
    if (size >= PART_MIN_BYTES && cutAfter(blockText(b), bytes)) flush(b + 1);
  }
  flush(all.bytes.length);
  return parts.length ? parts : [text];
}

export interface SplitFile {
  /** `<file>.sha256`: one `<sha256>  <part key>` line per part, in order (`sha256sum -c` checks it). */
  indexKey: string;
  index: string;
  /** One ConfigMap per part, `<prefix>-000`, ..., holding the key `<file>.part-000`, .... */
  parts: { number: string; configMap: IConfigMap }[];
}

/** Readers find the parts through the index, never by their names. */
export function splitIntoConfigMaps(text: string, o: { file: string; prefix: string; metadata: (name: string) => ObjectMeta }): SplitFile {
  const parts = splitText(text).map((part, i) => ({ part, number: String(i).padStart(3, '0') }));
  const key = (number: string) => `${o.file}.part-${number}`;
  return {
    indexKey: `${o.file}.sha256`,
    index: parts.map(({ part, number }) => `${sha256Hex(part)}  ${key(number)}\n`).join(''),
    parts: parts.map(({ part, number }) => ({
      number,
      configMap: { apiVersion: 'v1', kind: 'ConfigMap', metadata: o.metadata(`${o.prefix}-${number}`), data: { [key(number)]: part } },
    })),
  };
}
