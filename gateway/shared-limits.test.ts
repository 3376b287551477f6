// Replicas sharing Redis: two gateways in front of one counter store never admit more than the limit together.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_MISSING, redisServerAvailable, startRedisServer, type RedisServer } from '../test/support/redis-server.ts';
import { startTestGateway, type TestGateway } from '../test/support/gateway-fixture.ts';
import { KEYS } from '../test/support/ir-fixture.ts';

const LIMIT = 5;

describe.skipIf(!redisServerAvailable)('limits in Redis', () => {
  let redis: RedisServer;
  let gateways: TestGateway[];
  beforeAll(async () => {
    redis = await startRedisServer();
    const start = () =>
      startTestGateway(
        (ir) => {
          ir.gateway.stores.limits = {
            type: 'redis',
            url: { ref: 'env:REDIS_URL', source: 'env', name: 'REDIS_URL' },
            keyPrefix: 'replicas-test:',
            onUnavailable: 'deny',
          };
          ir.accessPolicies.find((p) => p.name === 'limited')!.limits = { requestsPerMinute: LIMIT };
        },
        { REDIS_URL: redis.url },
      );
    gateways = await Promise.all([start(), start()]);
  });
  afterAll(async () => {
    await Promise.all(gateways.map((g) => g.close()));
    await redis.stop();
  });

  it('admits exactly the limit across two replicas', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 4 * LIMIT }, (_, i) =>
        fetch(`${gateways[i % 2].baseURL}/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${KEYS.bob}` },
          body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }),
        }).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(3 * LIMIT);
  });
});

if (!redisServerAvailable) console.warn(REDIS_MISSING);
