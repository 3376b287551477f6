// A Redis cache store killed mid-load and restarted on the same port: no request fails, lookups miss at once
// while it is down (the provider answers), and hits come back once Redis answers again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, until, type TestGateway } from '../test/support/gateway-fixture.ts';
import { KEYS } from '../test/support/ir-fixture.ts';
import { REDIS_MISSING, redisServerAvailable, startRedisServer, type RedisServer } from '../test/support/redis-server.ts';

interface Sample {
  start: number;
  ms: number;
  status: number;
  cache: string | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!redisServerAvailable)('a Redis cache store that goes down and comes back', () => {
  let redis: RedisServer;
  let t: TestGateway;
  beforeAll(async () => {
    redis = await startRedisServer();
    t = await startTestGateway(
      (ir) => {
        ir.gateway.stores.cache = {
          type: 'redis',
          url: { ref: 'env:REDIS_URL', source: 'env', name: 'REDIS_URL' },
          keyPrefix: 'cache-outage:',
        };
      },
      { REDIS_URL: redis.url },
    );
  });
  afterAll(async () => {
    await t.close();
    await redis.stop();
  });

  it('never fails a request: misses at once while down, hits again once Redis answers', async () => {
    const samples: Sample[] = [];
    let running = true;
    const worker = async (i: number) => {
      while (running) {
        const start = Date.now();
        const res = await fetch(`${t.baseURL}/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${KEYS.alice}` },
          // A few distinct bodies: each is stored on its first miss and hit afterwards.
          body: JSON.stringify({ model: 'cached', messages: [{ role: 'user', content: `question ${i}` }] }),
        });
        await res.arrayBuffer();
        samples.push({ start, ms: Date.now() - start, status: res.status, cache: res.headers.get('x-cache') });
        await sleep(5);
      }
    };
    const load = Array.from({ length: 3 }, (_, i) => worker(i));

    await until(() => samples.some((s) => s.cache === 'hit'), 5000);
    const killedAt = Date.now();
    await redis.kill();
    await sleep(1000);
    // Down ends when the restart begins: the gateway may reconnect (and miss, store, then hit) before the restart's
    // own PING has been answered, later still on a loaded machine.
    const restartingAt = Date.now();
    await redis.restart();
    const answeringAt = Date.now();
    await sleep(1500);
    running = false;
    await Promise.all(load);

    expect(samples.filter((s) => s.status !== 200)).toEqual([]);
    // Down: every lookup a miss, answered by the provider without a wait on Redis.
    const down = samples.filter((s) => s.start > killedAt + 100 && s.start + s.ms < restartingAt);
    expect(down.length).toBeGreaterThan(10);
    expect(down.every((s) => s.cache === 'miss')).toBe(true);
    expect(Math.max(...down.map((s) => s.ms))).toBeLessThan(500);
    // Back: hits within a second of Redis answering (its entries were lost with it, so the first lookups miss).
    expect(samples.filter((s) => s.start > answeringAt + 1000).every((s) => s.cache === 'hit')).toBe(true);

    expect(await t.gateway.metrics.text()).toContain('modelgate_store_up{store="cache"} 1');
    expect(t.logText()).toContain('"msg":"redis store unreachable","store":"cache"');
    expect(t.logText()).toContain('"msg":"redis store reachable again","store":"cache"');
  }, 15_000);
});

if (!redisServerAvailable) console.warn(REDIS_MISSING);
