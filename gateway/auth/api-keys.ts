// API keys: the config holds only SHA-256 hashes; a presented key is hashed and looked up.
import { hash, timingSafeEqual } from 'node:crypto';
import type { IRConsumer } from '../../compiler/ir/types.ts';
import { type AuthResult, successes, unauthenticated } from './result.ts';

const INVALID = unauthenticated('invalid_api_key', 'The API key is not valid.');
const EXPIRED = unauthenticated('expired_api_key', 'The API key has expired; ask for a new one.');
const DAY_MS = 86_400_000;

interface KeyEntry {
  sha256: string;
  /** The digest's bytes, made on the key's first use: at thousands of keys, making them all slowed start-up. */
  hash?: Buffer;
  /** A key is valid through its `expires` day (UTC) and refused from the next one. */
  refusedFrom: number;
  result: AuthResult;
}

/**
 * The Map lookup by hex digest decides nothing secret (timing reveals at most bits of a hash of the
 * caller's own input); `timingSafeEqual` then confirms the full digest. When two consumers list the
 * same hash the first by name wins; the compiler reports such duplicates.
 */
export function createApiKeyCheck(consumers: readonly IRConsumer[], clock: () => number): (key: string) => AuthResult {
  const ok = successes(consumers);
  const byHash = new Map<string, KeyEntry>();
  for (const consumer of consumers) {
    for (const key of consumer.apiKeys) {
      if (byHash.has(key.sha256)) continue;
      const refusedFrom = key.expires === undefined ? Infinity : Date.parse(`${key.expires}T00:00:00Z`) + DAY_MS;
      byHash.set(key.sha256, { sha256: key.sha256, refusedFrom, result: ok.get(consumer.name)! });
    }
  }
  return (key) => {
    const digest = hash('sha256', key);
    const entry = byHash.get(digest);
    if (entry === undefined) return INVALID;
    entry.hash ??= Buffer.from(entry.sha256, 'hex');
    if (!timingSafeEqual(Buffer.from(digest, 'hex'), entry.hash)) return INVALID;
    return clock() < entry.refusedFrom ? entry.result : EXPIRED;
  };
}
