// Many entries by sha256 key kept as a chain of packs, found through one entry of `current`: a run that added a
// little adds a pack of what it added; one that added much, or finds the chain long, rewrites it as one pack: what the
// run used first, then what the old packs held besides, up to as much again (at least `keptBytes`), so that another
// config root sharing the cache keeps its entries and stale ones go.
import { createHash } from 'node:crypto';
import { decodePack, encodePack } from './pack.ts';
import type { CacheStore } from './store.ts';

/** Which packs are current, one key a line: the only entries that are replaced rather than added. */
const POINTERS = 'current';
/** The longest chain: each pack is one more read. */
const MAX_PACKS = 8;
/** A run adds a pack when it added at most this share of what the chain holds (a few edited files). */
const ADDED_SHARE = 1 / 8;

export interface PackChain {
  /** Every entry of the chain's packs (views into them). */
  stored: ReadonlyMap<string, Buffer>;
  /** Keeps `added` (new entries) with `used` (what the run read or added, kept first when the chain is rewritten). */
  save(used: ReadonlyMap<string, Buffer>, added: ReadonlyMap<string, Buffer>): void;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const sum = (entries: Iterable<Buffer>) => [...entries].reduce((total, bytes) => total + bytes.length, 0);

/** The chain of packs of `kind` that the pointer `name` (a key that includes the code fingerprint) lists. */
export function openPackChain(store: CacheStore, kind: string, name: string, keptBytes: number): PackChain {
  const pointer = sha256(name);
  const previous = (store.get(POINTERS, pointer)?.toString('latin1') ?? '').split('\n').filter((key) => /^[0-9a-f]{64}$/.test(key));
  // A pack that does not check out (damaged, pruned) leaves the chain; what it held is computed again.
  const chain = previous.flatMap((key) => {
    const bytes = store.get(kind, key);
    const entries = bytes && decodePack(bytes);
    return entries ? [{ key, entries }] : [];
  });
  const stored = new Map(chain.flatMap(({ entries }) => [...entries]));
  return {
    stored,
    save(used, added) {
      if (added.size === 0) return;
      const packKey = (keys: Iterable<string>) => sha256([...keys].sort().join('\n'));
      if (chain.length > 0 && chain.length < MAX_PACKS && sum(added.values()) <= sum(stored.values()) * ADDED_SHARE) {
        const pack = packKey(added.keys());
        store.put(kind, pack, encodePack(added));
        const keys = [...new Set([...chain.map((p) => p.key), pack])];
        store.put(POINTERS, pointer, Buffer.from(keys.join('\n'), 'latin1'));
        return;
      }
      const entries = new Map(used);
      let size = sum(used.values());
      const budget = size + Math.max(size, keptBytes);
      for (const [key, bytes] of stored) {
        if (entries.has(key) || size + bytes.length > budget) continue;
        entries.set(key, bytes);
        size += bytes.length;
      }
      const pack = packKey(entries.keys());
      store.put(kind, pack, encodePack(entries));
      store.put(POINTERS, pointer, Buffer.from(pack, 'latin1'));
      for (const key of previous) if (key !== pack) store.remove(kind, key);
    },
  };
}
