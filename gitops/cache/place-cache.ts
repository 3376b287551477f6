// Where the targets' findings are (pipeline/finding-places.ts) between runs: a chain of packs (pack-chain.ts) under the
// code fingerprint, so that a plan after a one-file change locates only the findings on the resources it touched.
import { placeStore, type PlaceStore } from '../../pipeline/finding-places.ts';
import { codeFingerprint } from './fingerprint.ts';
import { openPackChain } from './pack-chain.ts';
import type { CacheStore } from './store.ts';

/** What a pack keeps of other runs' places at least, beyond this run's own. */
const KEPT_BYTES = 8 * 1024 * 1024;

export interface StoredPlaces {
  places: PlaceStore;
  /** Stores the places the run located, if any: a pack added to the chain, or the chain rewritten as one. */
  save(): void;
}

/** Places in memory, and on disk when given a store. */
export function storedPlaces(store?: CacheStore): StoredPlaces {
  if (!store) return { places: placeStore(), save() {} };
  const chain = openPackChain(store, 'place', `${codeFingerprint()}\0place`, KEPT_BYTES);
  const places = placeStore(chain.stored);
  return {
    places,
    save() {
      const { used, added } = places.entries();
      chain.save(used, added);
    },
  };
}
