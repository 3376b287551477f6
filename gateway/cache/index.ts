// The exact-match response cache: in-memory LRU or Redis, chosen by the Gateway's cache store.
import type { IRStore } from '../../compiler/ir/types.ts';
import type { RedisEvents } from '../redis-client.ts';
import type { SecretResolver } from '../secrets.ts';
import { createMemoryCache } from './memory.ts';
import { createRedisCache } from './redis.ts';
import type { ResponseCache } from './types.ts';

export { cacheKey } from './key.ts';
export type { ResponseCache } from './types.ts';

export function createResponseCache(
  store: IRStore,
  secrets: SecretResolver,
  clock: () => number = Date.now,
  events: RedisEvents = { onError: () => {} },
): ResponseCache {
  return store.type === 'redis' ? createRedisCache(store, secrets, events) : createMemoryCache(store.maxEntries, clock);
}
