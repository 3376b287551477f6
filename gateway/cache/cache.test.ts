import { describe, expect, it } from 'vitest';
import { parseSecretRef } from '../../kernel/secret-env.ts';
import { REDIS_MISSING, redisServerAvailable, useRedisServer } from '../../test/support/redis-server.ts';
import { createSecretResolver } from '../secrets.ts';
import { cacheKey, createResponseCache, type ResponseCache } from './index.ts';
import { createMemoryCache } from './memory.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('cacheKey', () => {
  const body = { model: 'chat', messages: [{ role: 'user', content: 'hi' }], temperature: 0 };

  it('ignores key order, streaming flags and the end-user label', () => {
    const reordered = { temperature: 0, messages: [{ content: 'hi', role: 'user' }], model: 'chat', stream: false, user: 'u-42' };
    expect(cacheKey('chat', 'chat', reordered)).toBe(cacheKey('chat', 'chat', body));
    expect(cacheKey('chat', 'chat', { ...body, stream_options: { include_usage: true } })).toBe(cacheKey('chat', 'chat', body));
    expect(cacheKey('chat', 'chat', body)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('tells apart routes, values, array order and nested fields that only look ignorable', () => {
    const key = cacheKey('chat', 'chat', body);
    expect(cacheKey('chat', 'chat-large', body)).not.toBe(key);
    expect(cacheKey('messages', 'chat', body)).not.toBe(key);
    expect(cacheKey('chat', 'chat', { ...body, temperature: 1 })).not.toBe(key);
    expect(cacheKey('chat', 'chat', { ...body, messages: [...body.messages, { role: 'user', content: 'hi' }] })).not.toBe(key);
    expect(cacheKey('chat', 'chat', { ...body, messages: [{ role: 'user', content: 'hi', user: 'x' }] })).not.toBe(key);
    expect(cacheKey('chat', 'chat', { a: [1, 2] })).not.toBe(cacheKey('chat', 'chat', { a: [2, 1] }));
    expect(cacheKey('chat', 'chat', { a: '1' })).not.toBe(cacheKey('chat', 'chat', { a: 1 }));
    expect(cacheKey('chat', 'ch', { a: 1 })).not.toBe(cacheKey('chat', 'c', { a: 1 }));
  });

  it('handles bodies nested deeper than the call stack', () => {
    const depth = 200_000;
    const deep = JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);
    expect(cacheKey('chat', 'chat', { messages: deep })).toMatch(/^[0-9a-f]{64}$/);
  });
});

function cacheContract(name: string, make: () => ResponseCache) {
  describe(name, () => {
    it('misses, stores, hits and overwrites', async () => {
      const cache = make();
      expect(await cache.get('k1')).toBeUndefined();
      await cache.set('k1', '{"id":"chatcmpl-1"}', 60_000);
      expect(await cache.get('k1')).toBe('{"id":"chatcmpl-1"}');
      await cache.set('k1', '{"id":"chatcmpl-2"}', 60_000);
      expect(await cache.get('k1')).toBe('{"id":"chatcmpl-2"}');
    });

    it('expires entries after their TTL', async () => {
      const cache = make();
      await cache.set('short', 'v', 40);
      await cache.set('long', 'v', 60_000);
      await sleep(80);
      expect(await cache.get('short')).toBeUndefined();
      expect(await cache.get('long')).toBe('v');
    });
  });
}

cacheContract('memory cache', () => createResponseCache({ type: 'memory', maxEntries: 100 }, createSecretResolver({})));

describe('memory cache bounds', () => {
  it('evicts the least recently used entry beyond maxEntries', async () => {
    const cache = createMemoryCache(3, Date.now);
    for (const k of ['a', 'b', 'c']) await cache.set(k, k, 60_000);
    expect(await cache.get('a')).toBe('a'); // a is now the most recently used
    await cache.set('d', 'd', 60_000);
    expect(await cache.get('b')).toBeUndefined();
    expect(await Promise.all(['a', 'c', 'd'].map((k) => cache.get(k)))).toEqual(['a', 'c', 'd']);
  });

  it('never holds more than maxEntries, under any traffic', async () => {
    let now = 0;
    const cache = createMemoryCache(50, () => now);
    for (let i = 0; i < 5000; i++) {
      await cache.set(`k${i % 700}`, 'x'.repeat(i % 13), 1 + (i % 30));
      await cache.get(`k${(i * 7) % 700}`);
      now += 1;
    }
    let held = 0;
    for (let i = 0; i < 700; i++) if ((await cache.get(`k${i}`)) !== undefined) held++;
    expect(held).toBeLessThanOrEqual(50);
  });

  it('bounds the characters held, dropping the oldest entries', async () => {
    const cache = createMemoryCache(1000, Date.now, 100);
    await cache.set('a', 'x'.repeat(60), 60_000);
    await cache.set('b', 'y'.repeat(60), 60_000);
    expect(await cache.get('a')).toBeUndefined();
    expect(await cache.get('b')).toHaveLength(60);
    await cache.set('huge', 'z'.repeat(101), 60_000);
    expect(await cache.get('huge')).toBeUndefined();
    expect(await cache.get('b')).toHaveLength(60);
  });
});

describe.skipIf(!redisServerAvailable)('Redis cache', () => {
  const redis = useRedisServer();
  const redisCache = (url: string, onError?: (err: Error) => void) =>
    redis.track(
      createResponseCache(
        { type: 'redis', url: parseSecretRef('env:REDIS_URL'), keyPrefix: 'cache-test:' },
        createSecretResolver({ REDIS_URL: url }),
        Date.now,
        { onError: onError ?? (() => {}) },
      ),
    );

  cacheContract('one client', () => redisCache(redis.url()));

  it('shares entries between replicas', async () => {
    await redisCache(redis.url()).set('shared', 'from replica 1', 60_000);
    expect(await redisCache(redis.url()).get('shared')).toBe('from replica 1');
  });

  it('misses instead of failing when Redis is unreachable', async () => {
    const errors: Error[] = [];
    const cache = redisCache('redis://127.0.0.1:1', (err) => errors.push(err));
    await cache.set('k', 'v', 60_000);
    expect(await cache.get('k')).toBeUndefined();
    expect(errors.length).toBeGreaterThan(0);
    // Known down: a lookup misses at once, without waiting on a connect attempt.
    const started = performance.now();
    expect(await Promise.all(Array.from({ length: 100 }, () => cache.get('k')))).toEqual(Array(100).fill(undefined));
    expect(performance.now() - started).toBeLessThan(50);
  });
});

if (!redisServerAvailable) console.warn(REDIS_MISSING);
