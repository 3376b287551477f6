// An in-process LRU with per-entry expiry. Map iteration order is insertion order, so re-inserting
// on every hit keeps the least recently used entry first, where eviction takes it.
import type { ResponseCache } from './types.ts';

/** Bound on the characters held, whatever maxEntries says: responses vary from bytes to megabytes. */
export const MAX_CACHED_CHARS = 32 * 1024 * 1024;

interface Entry {
  value: string;
  expiresAt: number;
}

export function createMemoryCache(maxEntries: number, clock: () => number, maxChars = MAX_CACHED_CHARS): ResponseCache {
  const entries = new Map<string, Entry>();
  let chars = 0;

  const remove = (key: string, entry: Entry) => {
    entries.delete(key);
    chars -= entry.value.length;
  };

  return {
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return Promise.resolve(undefined);
      entries.delete(key);
      if (entry.expiresAt <= clock()) {
        chars -= entry.value.length;
        return Promise.resolve(undefined);
      }
      entries.set(key, entry);
      return Promise.resolve(entry.value);
    },
    set(key, value, ttlMs) {
      const old = entries.get(key);
      if (old !== undefined) remove(key, old);
      if (ttlMs <= 0 || value.length > maxChars) return Promise.resolve();
      entries.set(key, { value, expiresAt: clock() + ttlMs });
      chars += value.length;
      while (entries.size > maxEntries || chars > maxChars) {
        const [oldestKey, oldest] = entries.entries().next().value!;
        remove(oldestKey, oldest);
      }
      return Promise.resolve();
    },
    close() {
      entries.clear();
      chars = 0;
      return Promise.resolve();
    },
  };
}
