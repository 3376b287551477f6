// Cached responses in Redis, shared by replicas; Redis expires them (SET … PX).
import type { IRStore } from '../../compiler/ir/types.ts';
import { connectRedis } from '../redis-client.ts';
import type { SecretResolver } from '../secrets.ts';
import type { ResponseCache } from './types.ts';

/** A cache is an optimisation: when Redis fails, a lookup misses and a store is skipped (and reported). */
export function createRedisCache(
  store: Extract<IRStore, { type: 'redis' }>,
  secrets: SecretResolver,
  onError: (err: Error) => void,
): ResponseCache {
  const redis = connectRedis(store, secrets, onError);
  const miss = (err: Error) => {
    onError(err);
    return undefined;
  };
  return {
    get: (key) => redis.run((client) => client.get(`cache:${key}`)).then((value) => value ?? undefined, miss),
    async set(key, value, ttlMs) {
      if (ttlMs <= 0) return;
      await redis.run((client) => client.set(`cache:${key}`, value, 'PX', Math.ceil(ttlMs))).catch(miss);
    },
    close: () => redis.close(),
  };
}
