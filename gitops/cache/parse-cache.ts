// Parse results by sha256(code fingerprint, path, text). In memory they serve both sides of a plan. On disk they are
// a chain of packs (pack-chain.ts): a run that parsed a few files adds a pack of them, so that a one-file change does
// not write ten thousand results again.
import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import type { ParseCache } from '../../compiler/load/cached-parse.ts';
import type { FileText, ParsedFileData } from '../../compiler/load/parse-files.ts';
import { codeFingerprint } from './fingerprint.ts';
import { openPackChain } from './pack-chain.ts';
import type { CacheStore } from './store.ts';

export interface StoredParseCache extends ParseCache {
  /** Stores what this run parsed, if anything: a pack added to the chain, or the chain rewritten as one. */
  save(): void;
}

/** What a pack keeps of other runs' results at least, beyond this run's own. */
const KEPT_BYTES = 16 * 1024 * 1024;

/** A cache in memory, and on disk when given a store. */
export function parseCache(store?: CacheStore): StoredParseCache {
  // Only what outlives the process needs the code in its keys.
  const fingerprint = store ? codeFingerprint() : '';
  const keyOf = (file: FileText) => createHash('sha256').update(`${fingerprint}\0${file.path}\0`).update(file.text).digest('hex');
  const chain = store && openPackChain(store, 'parse', `${fingerprint}\0parse`, KEPT_BYTES);
  const stored = chain?.stored ?? new Map<string, Buffer>();
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
      chain?.save(used, parsed);
    },
  };
}

function decode(bytes: Buffer): ParsedFileData | undefined {
  try {
    const value = deserialize(bytes) as ParsedFileData;
    return Array.isArray(value?.documents) && Array.isArray(value.diagnostics) ? value : undefined;
  } catch {
    return undefined;
  }
}
