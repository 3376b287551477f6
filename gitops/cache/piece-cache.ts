// The targets' rendered pieces (pipeline/piece-cache.ts) between runs: a chain of packs (pack-chain.ts) under the code
// fingerprint, so that a plan after a one-file change renders only the pieces of its head that the change touches.
import { pieceStore, type PieceStore } from '../../pipeline/piece-cache.ts';
import { codeFingerprint } from './fingerprint.ts';
import { openPackChain } from './pack-chain.ts';
import type { CacheStore } from './store.ts';

/** What a pack keeps of other runs' pieces at least, beyond this run's own. */
const KEPT_BYTES = 32 * 1024 * 1024;

export interface StoredPieces {
  pieces: PieceStore;
  /** Stores what the run rendered, if anything: a pack added to the chain, or the chain rewritten as one. */
  save(): void;
}

/** Pieces in memory, and on disk when given a store. */
export function storedPieces(store?: CacheStore): StoredPieces {
  if (!store) return { pieces: pieceStore(), save() {} };
  const fingerprint = codeFingerprint();
  const chain = openPackChain(store, 'piece', `${fingerprint}\0piece`, KEPT_BYTES);
  const pieces = pieceStore(chain.stored, fingerprint);
  return {
    pieces,
    save() {
      const added = new Map([...pieces.rendered].map(([key, text]) => [key, Buffer.from(text)]));
      const used = new Map<string, Buffer>(added);
      for (const key of pieces.read) used.set(key, chain.stored.get(key)!);
      chain.save(used, added);
    },
  };
}
