// A Redis limits store killed mid-load and restarted on the same port: with `deny` the 503s come at once (no
// per-request connect wait), with `allow` no request fails, and in both service is full again within a second
// of Redis answering. The figures are printed for the bench; the bounds here are generous against slow CI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IR } from '../compiler/ir/types.ts';
import { COMMAND_TIMEOUT_MS } from './redis-client.ts';
import { startTestGateway, type TestGateway } from '../test/support/gateway-fixture.ts';
import { KEYS } from '../test/support/ir-fixture.ts';
import { REDIS_MISSING, redisServerAvailable, startRedisServer, type RedisServer } from '../test/support/redis-server.ts';

const WORKERS = 4;

interface Sample {
  start: number;
  ms: number;
  status: number;
  bypassed: boolean;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
};

describe.skipIf(!redisServerAvailable)('a Redis limits store that goes down and comes back', () => {
  let redis: RedisServer;
  const gateways: Partial<Record<'deny' | 'allow', TestGateway>> = {};
  beforeAll(async () => {
    redis = await startRedisServer();
    for (const onUnavailable of ['deny', 'allow'] as const) {
      gateways[onUnavailable] = await startTestGateway(
        (ir: IR) => {
          ir.gateway.stores.limits = {
            type: 'redis',
            url: { ref: 'env:REDIS_URL', source: 'env', name: 'REDIS_URL' },
            keyPrefix: `outage-${onUnavailable}:`,
            onUnavailable,
          };
          ir.accessPolicies.find((p) => p.name === 'limited')!.limits = { requestsPerMinute: 1_000_000 };
        },
        { REDIS_URL: redis.url },
      );
    }
  });
  afterAll(async () => {
    await Promise.all(Object.values(gateways).map((g) => g.close()));
    await redis.stop();
  });

  it('fails fast (deny) or open (allow) while down, and serves again within a second of Redis answering', async () => {
    const samples: Record<'deny' | 'allow', Sample[]> = { deny: [], allow: [] };
    let running = true;
    const worker = async (mode: 'deny' | 'allow') => {
      while (running) {
        const start = Date.now();
        const res = await fetch(`${gateways[mode]!.baseURL}/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${KEYS.bob}` },
          body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }),
        });
        await res.arrayBuffer();
        const bypassed = res.headers.get('x-modelgate-limits') === 'unavailable';
        samples[mode].push({ start, ms: Date.now() - start, status: res.status, bypassed });
      }
    };
    const load = (['deny', 'allow'] as const).flatMap((mode) => Array.from({ length: WORKERS }, () => worker(mode)));
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    await sleep(300);
    const killedAt = Date.now();
    await redis.kill();
    await sleep(1500);
    await redis.restart();
    const answeringAt = Date.now(); // PING answered
    await sleep(2000);
    running = false;
    await Promise.all(load);

    const deny = samples.deny;
    const refused = deny.filter((s) => s.status === 503);
    const afterKill = (s: Sample) => s.start >= killedAt && s.start < answeringAt;
    // A request in flight when Redis dies may fail; one that ended before cannot.
    expect(deny.filter((s) => s.start + s.ms < killedAt && s.status !== 200)).toEqual([]);
    expect(deny.filter((s) => s.status !== 200 && s.status !== 503)).toEqual([]);
    expect(refused.length).toBeGreaterThan(20);
    const deniedMedian = percentile(
      refused.map((s) => s.ms),
      0.5,
    );
    const lastDenied = Math.max(...refused.map((s) => s.start)) - answeringAt;
    // Refused at once, not after waiting out a command's timeout (which a per-request connect or queue would).
    expect(deniedMedian).toBeLessThan(COMMAND_TIMEOUT_MS);
    expect(lastDenied).toBeLessThanOrEqual(2000);
    expect(deny.filter((s) => s.start > answeringAt + 2000 - 500).length).toBeGreaterThan(0);

    const allow = samples.allow;
    expect(allow.filter((s) => s.status !== 200)).toEqual([]);
    const bypassed = allow.filter((s) => s.bypassed);
    expect(bypassed.length).toBeGreaterThan(20);
    const lastBypassed = Math.max(...bypassed.map((s) => s.start)) - answeringAt;
    expect(lastBypassed).toBeLessThanOrEqual(2000);
    expect(allow.filter((s) => afterKill(s)).length).toBeGreaterThan(0);

    console.log(
      `store outage: deny ${refused.length} 503s, median ${deniedMedian} ms, p99 ${percentile(
        refused.map((s) => s.ms),
        0.99,
      )} ms, max ${Math.max(...refused.map((s) => s.ms))} ms; ` +
        `last 503 started ${lastDenied} ms after Redis answered; allow ${allow.length} requests, 0 failed, ${bypassed.length} unlimited, ` +
        `last unlimited started ${lastBypassed} ms after Redis answered`,
    );

    for (const mode of ['deny', 'allow'] as const) {
      const text = await gateways[mode]!.gateway.metrics.text();
      expect(text).toContain('modelgate_store_up{store="limits"} 1');
      const log = gateways[mode]!.logText();
      expect(log).toContain('"msg":"redis store unreachable","store":"limits"');
      expect(log).toContain('"msg":"redis store reachable again","store":"limits"');
    }
    expect(await gateways.allow!.gateway.metrics.text()).toMatch(/modelgate_limits_bypassed_total\{consumer="bob"\} [1-9]/);
  }, 15_000);
});

if (!redisServerAvailable) console.warn(REDIS_MISSING);
