// Parse results by sha256(code fingerprint, path, text). In memory they serve both sides of a plan. On disk
// they are one pack, rewritten when a run parsed anything: what the run used first, then what the old pack held
// besides, up to as much again or 16 MB (another config root sharing the cache keeps its results; stale go).
import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import type { ParseCache } from '../../compiler/load/cached-parse.ts';
import type { FileText, ParsedFileData } from '../../compiler/load/parse-files.ts';
import { codeFingerprint } from './fingerprint.ts';
import { decodePack, encodePack } from './pack.ts';
import type { CacheStore } from './store.ts';

const PACKS = 'parse';
/** Which pack is the current one: the only entries that are replaced rather than added. */
const POINTERS = 'current';

export interface StoredParseCache extends ParseCache {
  /** Stores the pack, if this run parsed anything; the pack it replaces is removed. */
  save(): void;
}

/** What a pack keeps of other runs' results at least, beyond this run's own. */
const KEPT_BYTES = 16 * 1024 * 1024;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A cache in memory, and on disk when given a store. */
export function parseCache(store?: CacheStore): StoredParseCache {
  // Only what outlives the process needs the code in its keys.
  const fingerprint = store ? codeFingerprint() : '';
  const keyOf = (file: FileText) => createHash('sha256').update(`${fingerprint}\0${file.path}\0`).update(file.text).digest('hex');
  const pointer = sha256(`${fingerprint}\0parse`);
  const previous = store?.get(POINTERS, pointer)?.toString('latin1');
  const stored = previous && /^[0-9a-f]{64}$/.test(previous) ? readPack(store!, previous) : undefined;
  // Serialized, so that every `get` hands out a copy of its own.
  const used = new Map<string, Buffer>();
  let parsed = 0;
  return {
    get(file) {
      const key = keyOf(file);
      const bytes = used.get(key) ?? stored?.get(key);
      const result = bytes && decode(bytes);
      if (result) used.set(key, bytes);
      return result;
    },
    set(file, result) {
      used.set(keyOf(file), serialize(result));
      parsed++;
    },
    save() {
      if (!store || parsed === 0) return;
      const entries = new Map(used);
      let size = [...used.values()].reduce((sum, bytes) => sum + bytes.length, 0);
      const budget = size + Math.max(size, KEPT_BYTES);
      for (const [key, bytes] of stored ?? []) {
        if (entries.has(key) || size + bytes.length > budget) continue;
        entries.set(key, bytes);
        size += bytes.length;
      }
      const pack = sha256([...entries.keys()].sort().join('\n'));
      store.put(PACKS, pack, encodePack(entries));
      store.put(POINTERS, pointer, Buffer.from(pack, 'latin1'));
      if (stored && previous !== pack) store.remove(PACKS, previous!);
    },
  };
}

function readPack(store: CacheStore, key: string): Map<string, Buffer> | undefined {
  const bytes = store.get(PACKS, key);
  return bytes && decodePack(bytes);
}

function decode(bytes: Buffer): ParsedFileData | undefined {
  try {
    const value = deserialize(bytes) as ParsedFileData;
    return Array.isArray(value?.documents) && Array.isArray(value.diagnostics) ? value : undefined;
  } catch {
    return undefined;
  }
}
