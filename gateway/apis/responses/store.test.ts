import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { REDIS_MISSING, redisServerAvailable, useRedisServer } from '../../../test/support/redis-server.ts';
import { createMemoryResponseStore, createRedisResponseStore, type ResponseStore, type StoredResponse } from './store.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const stored = (consumer: string, id: string, text = 'hi'): StoredResponse => ({
  consumer,
  input: [{ type: 'message', role: 'user', content: text }],
  response: {
    id,
    object: 'response',
    created_at: 1,
    status: 'completed',
    model: 'm',
    output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'ok' }] }],
    usage: null,
    error: null,
    incomplete_details: null,
  },
});

/** What every store does; `ttlMs` is the TTL `make` gave it, `wait` lets that much time pass. */
function storeContract(name: string, make: () => ResponseStore, ttlMs: number, wait: (ms: number) => Promise<unknown>) {
  describe(name, () => {
    it('stores, reads and deletes a response', async () => {
      const store = make();
      expect(await store.get('alice', 'resp_1')).toBeUndefined();
      await store.put(stored('alice', 'resp_1'));
      expect(await store.get('alice', 'resp_1')).toEqual(stored('alice', 'resp_1'));
      expect(await store.delete('alice', 'resp_1')).toBe(true);
      expect(await store.get('alice', 'resp_1')).toBeUndefined();
      expect(await store.delete('alice', 'resp_1')).toBe(false);
    });

    it("never gives one consumer another's response", async () => {
      const store = make();
      await store.put(stored('alice', 'resp_2', 'secret'));
      expect(await store.get('bob', 'resp_2')).toBeUndefined();
      expect(await store.delete('bob', 'resp_2')).toBe(false);
      expect(await store.get('alice', 'resp_2')).toBeDefined();
      // Ids that could reshape a key are unknown without a lookup.
      expect(await store.get('alice', 'resp_2:x')).toBeUndefined();
      expect(await store.get('ali', 'ce:resp_2')).toBeUndefined();
    });

    it('expires a response TTL after its last use', async () => {
      const store = make();
      await store.put(stored('alice', 'resp_old'));
      await store.put(stored('alice', 'resp_used'));
      await wait(ttlMs * 0.6);
      expect(await store.get('alice', 'resp_used')).toBeDefined(); // renews it
      await wait(ttlMs * 0.6);
      expect(await store.get('alice', 'resp_old')).toBeUndefined();
      expect(await store.get('alice', 'resp_used')).toBeDefined();
      await wait(ttlMs * 1.2);
      expect(await store.get('alice', 'resp_used')).toBeUndefined();
    });
  });
}

let now = 0;
storeContract(
  'memory response store',
  () => createMemoryResponseStore({ ttlMs: 1000, maxEntries: 100, clock: () => now }),
  1000,
  async (ms) => (now += ms),
);

describe('memory response store bounds', () => {
  it('drops the least recently used responses beyond maxEntries', async () => {
    const store = createMemoryResponseStore({ ttlMs: 60_000, maxEntries: 2 });
    await store.put(stored('alice', 'resp_a'));
    await store.put(stored('alice', 'resp_b'));
    await store.get('alice', 'resp_a');
    await store.put(stored('bob', 'resp_c'));
    expect(await store.get('alice', 'resp_b')).toBeUndefined();
    expect(await store.get('alice', 'resp_a')).toBeDefined();
    expect(await store.get('bob', 'resp_c')).toBeDefined();
  });

  it('bounds the characters held', async () => {
    const store = createMemoryResponseStore({ ttlMs: 60_000, maxEntries: 100, maxChars: 1000 });
    await store.put(stored('alice', 'resp_big', 'x'.repeat(600)));
    await store.put(stored('alice', 'resp_next', 'y'.repeat(600)));
    expect(await store.get('alice', 'resp_big')).toBeUndefined();
    expect(await store.get('alice', 'resp_next')).toBeDefined();
  });
});

describe.skipIf(!redisServerAvailable)('Redis response store', () => {
  const redis = useRedisServer();
  /** An ioredis client as the gateway configures one, closed after the tests. */
  const client = (url = redis.url()) => {
    const c = new Redis(url, { keyPrefix: 'responses-test:', maxRetriesPerRequest: 1, commandTimeout: 500 });
    c.on('error', () => {});
    redis.track({ close: () => c.quit().catch(() => c.disconnect()) });
    return c;
  };
  const make = () => createRedisResponseStore(client(), { ttlMs: 600 });

  storeContract('over ioredis', make, 600, sleep);

  it('shares responses between replicas, under the key prefix', async () => {
    await make().put(stored('alice', 'resp_shared'));
    expect(await make().get('alice', 'resp_shared')).toBeDefined();
    expect(await client().exists('responses:alice:resp_shared')).toBe(1);
  });

  it('rejects when Redis is unreachable, rather than saying the response is unknown', async () => {
    const store = createRedisResponseStore(client('redis://127.0.0.1:1'), { ttlMs: 1000 });
    await expect(store.get('alice', 'resp_1')).rejects.toThrow();
  });
});

if (!redisServerAvailable) console.warn(REDIS_MISSING);
