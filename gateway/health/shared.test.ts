// Two replicas sharing a Redis limits store share their circuits: a provider model that fails on one replica is
// skipped by the other without it ever trying, and a circuit closed by one replica's probes closes on the other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IR } from '../../compiler/ir/types.ts';
import { circuitGauge, startTestGateway, until, type TestGateway } from '../../test/support/gateway-fixture.ts';
import { KEYS } from '../../test/support/ir-fixture.ts';
import { REDIS_MISSING, redisServerAvailable, startRedisServer, type RedisServer } from '../../test/support/redis-server.ts';

const OPEN_FOR_MS = 2000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const chat = (t: TestGateway, model = 'chat') =>
  fetch(`${t.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEYS.alice}` },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });

describe.skipIf(!redisServerAvailable)('circuits shared by replicas through Redis', () => {
  let redis: RedisServer;
  let a: TestGateway;
  let b: TestGateway;
  beforeAll(async () => {
    redis = await startRedisServer();
    const patch = (ir: IR) => {
      ir.gateway.stores.limits = {
        type: 'redis',
        url: { ref: 'env:REDIS_URL', source: 'env', name: 'REDIS_URL' },
        keyPrefix: 'circuits-test:',
        onUnavailable: 'deny',
      };
      for (const p of ir.providers) {
        p.circuitBreaker = { ...p.circuitBreaker, enabled: true, consecutiveFailures: 2, openForMs: OPEN_FOR_MS };
      }
    };
    // Each replica has its own mock upstreams, under the same provider names: what one sees, the other does not.
    [a, b] = await Promise.all([startTestGateway(patch, { REDIS_URL: redis.url }), startTestGateway(patch, { REDIS_URL: redis.url })]);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    await redis.stop();
  });

  it('opens on the other replica without its trying, and closes there when the probes of the first succeed', async () => {
    a.oai.setDefault({ status: 503 });
    const first = await chat(a); // two failed attempts on oai, then the fallback
    expect(first.headers.get('x-modelgate-provider')).toBe('ant');
    expect(await circuitGauge(a, 'oai', 'gpt-4o-mini')).toBe(1);

    const openedAt = Date.now();
    const sharedInMs = (await until(async () => (await circuitGauge(b, 'oai', 'gpt-4o-mini')) === 1, 2000)) - openedAt;
    const before = b.oai.requests.length;
    for (let i = 0; i < 5; i++) expect((await chat(b)).headers.get('x-modelgate-provider')).toBe('ant');
    expect(b.oai.requests.length).toBe(before); // B's own oai is healthy, and was never tried
    expect(b.logText()).toContain(
      '"msg":"circuit open","provider":"oai","model":"gpt-4o-mini","from":"closed","to":"open","reason":"shared state","shared":true',
    );

    // A's upstream comes back; A's probe closes the circuit before B sends anything, and B follows.
    a.oai.setDefault({});
    await sleep(OPEN_FOR_MS);
    expect((await chat(a)).headers.get('x-modelgate-provider')).toBe('oai');
    expect(await circuitGauge(a, 'oai', 'gpt-4o-mini')).toBe(0);
    await until(async () => (await circuitGauge(b, 'oai', 'gpt-4o-mini')) === 0, 2000);
    expect(b.oai.requests.length).toBe(before);
    console.log(`circuit sharing: replica B saw the open circuit ${sharedInMs} ms after replica A opened it`);
  }, 15_000);

  it('goes on with local state while Redis is down', async () => {
    await redis.kill();
    try {
      b.ant.setDefault({ status: 503 });
      // Route `claude` has only ant: one request's two failed attempts open its circuit, the next is refused at once.
      expect((await chat(b, 'claude')).status).toBe(503);
      expect(await circuitGauge(b, 'ant', 'claude-3-5-haiku')).toBe(1);
      const hits = b.ant.requests.length;
      const refused = await chat(b, 'claude');
      expect(refused.status).toBe(503);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('circuit_open');
      expect(b.ant.requests.length).toBe(hits);
      b.ant.setDefault({});
    } finally {
      await redis.restart();
    }
  });
});

if (!redisServerAvailable) console.warn(REDIS_MISSING);
