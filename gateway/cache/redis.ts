// Cached responses in Redis, shared by replicas; Redis expires them (SET … PX).
import type { IRStore } from '../../compiler/ir/types.ts';
import { connectRedis, type RedisEvents, StoreUnavailableError } from '../redis-client.ts';
import type { SecretResolver } from '../secrets.ts';
import type { ResponseCache } from './types.ts';

/**
 * A cache is an optimisation: when Redis fails, a lookup misses and a store is skipped (and reported). While
 * Redis is known down that is immediate (redis-client.ts), and not reported per request: the transition is.
 */
export function createRedisCache(
  store: Extract<IRStore, { type: 'redis' }>,
  secrets: SecretResolver,
  { onError, onState }: RedisEvents,
): ResponseCache {
  const redis = connectRedis(store, secrets, { onError, onState });
  const miss = (err: Error) => {
    if (!(err instanceof StoreUnavailableError)) onError(err);
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
