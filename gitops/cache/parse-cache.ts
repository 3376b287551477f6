// Parse results by sha256(code fingerprint, path, text). In memory they serve both sides of a plan. On disk they are
// a chain of packs, found through the entry `current`: a run that parsed a little adds a pack of what it parsed; one
// that parsed much, or finds the chain long, rewrites it as one pack: what the run used first, then what the old
// packs held besides, up to as much again or 16 MB (another config root sharing the cache keeps its results; stale go).
import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import type { ParseCache } from '../../compiler/load/cached-parse.ts';
import type { FileText, ParsedFileData } from '../../compiler/load/parse-files.ts';
import { codeFingerprint } from './fingerprint.ts';
import { decodePack, encodePack } from './pack.ts';
import type { CacheStore } from './store.ts';

const PACKS = 'parse';
/** Which packs are current, one key a line: the only entries that are replaced rather than added. */
const POINTERS = 'current';

export interface StoredParseCache extends ParseCache {
  /** Stores what this run parsed, if anything: a pack added to the chain, or the chain rewritten as one. */
  save(): void;
}

/** What a pack keeps of other runs' results at least, beyond this run's own. */
const KEPT_BYTES = 16 * 1024 * 1024;
/** The longest chain: each pack is one more read. */
const MAX_PACKS = 8;
/** A run adds a pack when it parsed at most this share of what the chain holds (a few edited files). */
const ADDED_SHARE = 1 / 8;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const sum = (entries: Iterable<Buffer>) => [...entries].reduce((total, bytes) => total + bytes.length, 0);

/** A cache in memory, and on disk when given a store. */
export function parseCache(store?: CacheStore): StoredParseCache {
  // Only what outlives the process needs the code in its keys.
  const fingerprint = store ? codeFingerprint() : '';
  const keyOf = (file: FileText) => createHash('sha256').update(`${fingerprint}\0${file.path}\0`).update(file.text).digest('hex');
  const pointer = sha256(`${fingerprint}\0parse`);
  const previous = (store?.get(POINTERS, pointer)?.toString('latin1') ?? '').split('\n').filter((key) => /^[0-9a-f]{64}$/.test(key));
  // A pack that does not check out (damaged, pruned) leaves the chain; what it held is parsed again.
  const chain = previous.flatMap((key) => {
    const entries = readPack(store!, key);
    return entries ? [{ key, entries }] : [];
  });
  const stored = new Map(chain.flatMap(({ entries }) => [...entries]));
  // Serialized, so that every `get` hands out a copy of its own.
  const used = new Map<string, Buffer>();
  const parsed = new Map<string, Buffer>();
  return {
    get(file) {
      const key = keyOf(file);
      const bytes = used.get(key) ?? stored.get(key);
      const result = bytes && decode(bytes);
      if (result) used.set(key, bytes);
      return result;
    },
    set(file, result) {
      const [key, bytes] = [keyOf(file), serialize(result)];
      used.set(key, bytes);
      parsed.set(key, bytes);
    },
    save() {
      if (!store || parsed.size === 0) return;
      const packKey = (keys: Iterable<string>) => sha256([...keys].sort().join('\n'));
      if (chain.length > 0 && chain.length < MAX_PACKS && sum(parsed.values()) <= sum(stored.values()) * ADDED_SHARE) {
        const added = packKey(parsed.keys());
        store.put(PACKS, added, encodePack(parsed));
        const keys = [...new Set([...chain.map((p) => p.key), added])];
        store.put(POINTERS, pointer, Buffer.from(keys.join('\n'), 'latin1'));
        return;
      }
      const entries = new Map(used);
      let size = sum(used.values());
      const budget = size + Math.max(size, KEPT_BYTES);
      for (const [key, bytes] of stored) {
        if (entries.has(key) || size + bytes.length > budget) continue;
        entries.set(key, bytes);
        size += bytes.length;
      }
      const pack = packKey(entries.keys());
      store.put(PACKS, pack, encodePack(entries));
      store.put(POINTERS, pointer, Buffer.from(pack, 'latin1'));
      for (const key of previous) if (key !== pack) store.remove(PACKS, key);
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
