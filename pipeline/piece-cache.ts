// The targets' rendered pieces (targets/target.ts `PieceCache`) by sha256(salt, renderer, structured clone of the
// input): a build after a small change renders again only the pieces it touches. The salt is the code fingerprint
// when the pieces outlive the process (plan's cache), so that other code never reads them.
import { hash } from 'node:crypto';
import { serialize } from 'node:v8';
import type { PieceCache } from '../targets/target.ts';

/** What a build did with the pieces since the last report: a worker thread sends it back with each output. */
export interface PieceReport {
  /** Keys of pieces taken from the stored ones. */
  read: string[];
  rendered: [key: string, text: string][];
}

/**
 * Stored pieces as a worker thread is sent them: their bytes in one shared buffer and the keys in one string, not an
 * object per piece (a structured clone of twenty thousand cost a quarter of a second on each side).
 */
export interface SharedPieces {
  /** The keys, 64 hex digits each, in the order of `ends`. */
  keys: string;
  bytes: Uint8Array;
  /** Where each piece's bytes end; each starts where the one before ends. */
  ends: Uint32Array;
}

const KEY_LENGTH = 64;

/** The stored pieces as a worker is sent them. */
export function toSharedPieces(stored: ReadonlyMap<string, Uint8Array>): SharedPieces {
  const ends = new Uint32Array(stored.size);
  let size = 0;
  let i = 0;
  for (const bytes of stored.values()) ends[i++] = size += bytes.length;
  const bytes = new Uint8Array(new SharedArrayBuffer(size));
  let at = 0;
  for (const piece of stored.values()) {
    bytes.set(piece, at);
    at += piece.length;
  }
  return { keys: [...stored.keys()].join(''), bytes, ends };
}

/** What `toSharedPieces` was given (views into the shared buffer). */
export function fromSharedPieces({ keys, bytes, ends }: SharedPieces): Map<string, Uint8Array> {
  const stored = new Map<string, Uint8Array>();
  for (let i = 0; i < ends.length; i++) {
    stored.set(keys.slice(i * KEY_LENGTH, (i + 1) * KEY_LENGTH), bytes.subarray(i ? ends[i - 1] : 0, ends[i]));
  }
  return stored;
}

export interface PieceStore extends PieceCache {
  /** The pieces it started from, UTF-8 by key. */
  readonly stored: ReadonlyMap<string, Uint8Array>;
  /** The same, as a worker thread is sent them (made once). */
  shared(): SharedPieces;
  /** Keys of the stored pieces this build took (its own and its workers'). */
  readonly read: ReadonlySet<string>;
  /** The pieces this build rendered (its own and its workers'), by key. */
  readonly rendered: ReadonlyMap<string, string>;
  /** What was read and rendered here since the last report. */
  report(): PieceReport;
  /** Takes a worker's report. */
  merge(report: PieceReport): void;
}

export function pieceStore(stored: ReadonlyMap<string, Uint8Array> = new Map(), salt = ''): PieceStore {
  const texts = new Map<string, string>();
  const read = new Set<string>();
  const rendered = new Map<string, string>();
  let since: PieceReport = { read: [], rendered: [] };
  let shared: SharedPieces | undefined;
  return {
    stored,
    shared: () => (shared ??= toSharedPieces(stored)),
    read,
    rendered,
    text(kind, input, render) {
      // One-shot hashing: a hash object per piece cost three times as much, over tens of thousands of pieces.
      const key = hash('sha256', serialize([salt, kind, input]), 'hex');
      let text = texts.get(key);
      if (text !== undefined) return text;
      const bytes = stored.get(key);
      if (bytes) {
        text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
        read.add(key);
        since.read.push(key);
      } else {
        text = render();
        rendered.set(key, text);
        since.rendered.push([key, text]);
      }
      texts.set(key, text);
      return text;
    },
    report() {
      const out = since;
      since = { read: [], rendered: [] };
      return out;
    },
    merge(report) {
      for (const key of report.read) read.add(key);
      for (const [key, text] of report.rendered) rendered.set(key, text);
    },
  };
}
