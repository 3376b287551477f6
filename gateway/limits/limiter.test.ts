import fc from 'fast-check';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { parseSecretRef } from '../../kernel/secret-env.ts';
import type { IRAccessPolicy, IRLimitStore, IRStore } from '../../compiler/ir/types.ts';
import { testPolicy } from '../../test/support/ir-fixture.ts';
import { REDIS_MISSING, redisServerAvailable, useRedisServer } from '../../test/support/redis-server.ts';
import { createSecretResolver } from '../secrets.ts';
import { createLimiter, type LimitDecision, type Limiter, type LimitKey } from './index.ts';

// 15 s into a minute, in the middle of a month: no window or month boundary unless a test moves there.
const START = Date.parse('2026-03-10T12:00:15Z');
const MEMORY: IRStore = { type: 'memory', maxEntries: 10_000 };
let policySeq = 0;
const policy = (limits: IRAccessPolicy['limits']) => testPolicy(`p${++policySeq}`, { consumers: ['app'], limits });

interface Setup {
  /** Two limiters over one store: two replicas with Redis; the same in-memory limiter twice otherwise. */
  replicas: [Limiter, Limiter];
  clock: { now: number };
}

const admittedCount = (decisions: LimitDecision[]) => decisions.filter((d) => d.allowed).length;

/**
 * `clients` concurrent clients, each recording `usage` a tick after every admission (on the other
 * replica), until refused: how many requests got through.
 */
async function useUntilRefused(replicas: [Limiter, Limiter], key: LimitKey, usage: { tokens: number; costUsd: number }, clients: number) {
  let requests = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let i = 0; i < 1000; i++) {
        if (!(await replicas[client % 2].admit(key)).allowed) return;
        await new Promise((resolve) => setImmediate(resolve));
        await replicas[(client + 1) % 2].record(key, usage);
        requests++;
      }
    }),
  );
  return requests;
}

function limiterContract(name: string, setup: () => Setup) {
  describe(name, () => {
    it('admits at most N of 200 concurrent requests against N per minute, across replicas', async () => {
      const { replicas } = setup();
      const p = policy({ requestsPerMinute: 37 });
      const decisions = await Promise.all(Array.from({ length: 200 }, (_, i) => replicas[i % 2].admit({ consumer: 'app', policy: p })));
      expect(admittedCount(decisions)).toBe(37);
      const refused = decisions.find((d) => !d.allowed)!;
      expect(refused.reason).toBe('requests');
      expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(refused.headers).toMatchObject({ 'x-ratelimit-limit-requests': '37', 'x-ratelimit-remaining-requests': '0' });
    });

    it('reports remaining requests and reset time like OpenAI', async () => {
      const { replicas } = setup();
      const p = policy({ requestsPerMinute: 10 });
      const first = await replicas[0].admit({ consumer: 'app', policy: p });
      expect(first).toEqual({
        allowed: true,
        headers: { 'x-ratelimit-limit-requests': '10', 'x-ratelimit-remaining-requests': '9', 'x-ratelimit-reset-requests': '45.001s' },
      });
    });

    it('slides: the previous minute counts for the share of it still inside the last 60 s', async () => {
      const { replicas, clock } = setup();
      const p = policy({ requestsPerMinute: 20 });
      const key = { consumer: 'app', policy: p };
      for (let i = 0; i < 20; i++) await replicas[i % 2].admit(key);
      expect((await replicas[0].admit(key)).allowed).toBe(false);
      clock.now += 45_000 + 15_000; // 15 s into the next minute: 3/4 of the old one still weighs in.
      const decisions = await Promise.all(Array.from({ length: 20 }, (_, i) => replicas[i % 2].admit(key)));
      expect(admittedCount(decisions)).toBe(5);
      clock.now += 120_000;
      expect((await replicas[1].admit(key)).allowed).toBe(true);
    });

    it('keeps consumers and policies apart', async () => {
      const { replicas } = setup();
      const p = policy({ requestsPerMinute: 1 });
      const q = policy({ requestsPerMinute: 1 });
      expect((await replicas[0].admit({ consumer: 'a', policy: p })).allowed).toBe(true);
      expect((await replicas[1].admit({ consumer: 'b', policy: p })).allowed).toBe(true);
      expect((await replicas[0].admit({ consumer: 'a', policy: q })).allowed).toBe(true);
      expect((await replicas[1].admit({ consumer: 'a', policy: p })).allowed).toBe(false);
    });

    it('refuses once the minute tokens reach the limit, until they slide out', async () => {
      const { replicas, clock } = setup();
      const key = { consumer: 'app', policy: policy({ tokensPerMinute: 1000 }) };
      expect((await replicas[0].admit(key)).headers['x-ratelimit-remaining-tokens']).toBe('1000');
      await Promise.all([replicas[0].record(key, { tokens: 600, costUsd: 0 }), replicas[1].record(key, { tokens: 400, costUsd: 0 })]);
      const refused = await replicas[1].admit(key);
      expect(refused).toMatchObject({ allowed: false, reason: 'tokens', headers: { 'x-ratelimit-remaining-tokens': '0' } });
      clock.now += refused.retryAfterSeconds! * 1000;
      expect((await replicas[0].admit(key)).allowed).toBe(true);
    });

    it('overshoots tokens per minute by at most the requests in flight of 200 concurrent clients', async () => {
      const { replicas } = setup();
      const key = { consumer: 'app', policy: policy({ tokensPerMinute: 5000 }) };
      const admitted = await useUntilRefused(replicas, key, { tokens: 40, costUsd: 0 }, 200);
      expect(admitted * 40).toBeGreaterThanOrEqual(5000);
      expect(admitted * 40).toBeLessThanOrEqual(5000 + 200 * 40);
      expect((await replicas[0].admit(key)).reason).toBe('tokens');
    });

    it('overspends a monthly budget by at most the requests in flight, then refuses until the next month', async () => {
      const { replicas, clock } = setup();
      const key = { consumer: 'app', policy: policy({ monthlyBudgetUsd: 1 }) };
      const admitted = await useUntilRefused(replicas, key, { tokens: 10, costUsd: 0.03 }, 20);
      expect(admitted * 0.03).toBeGreaterThanOrEqual(1);
      expect(admitted * 0.03).toBeLessThan(1 + 20 * 0.03 + 1e-9);
      const refused = await replicas[0].admit(key);
      expect(refused.reason).toBe('budget');
      expect(refused.retryAfterSeconds).toBe((Date.parse('2026-04-01T00:00:00Z') - clock.now) / 1000);
      clock.now = Date.parse('2026-04-01T00:00:00Z');
      expect((await replicas[1].admit(key)).allowed).toBe(true);
    });

    it('overspends by at most one request when requests run one at a time', async () => {
      const { replicas } = setup();
      const key = { consumer: 'app', policy: policy({ monthlyBudgetUsd: 0.1 }) };
      let spent = 0;
      for (let i = 0; i < 100 && (await replicas[i % 2].admit(key)).allowed; i++) {
        await replicas[i % 2].record(key, { tokens: 0, costUsd: 0.007 });
        spent += 0.007;
      }
      expect(spent).toBeGreaterThanOrEqual(0.1);
      expect(spent).toBeLessThan(0.1 + 0.007 + 1e-9);
    });

    it('answers a policy without limits at once, with no headers', async () => {
      const { replicas } = setup();
      const decision = await replicas[0].admit({ consumer: 'app', policy: policy({}) });
      expect(decision).toEqual({ allowed: true, headers: {} });
    });
  });
}

function fakeClock() {
  const clock = { now: START };
  return { clock, read: () => clock.now };
}

limiterContract('memory limiter', () => {
  const { clock, read } = fakeClock();
  const limiter = createLimiter(MEMORY, createSecretResolver({}), read);
  return { replicas: [limiter, limiter], clock };
});

describe('memory limiter, without a promise', () => {
  it('decides in the same turn, a refusal included: a request need not wait a turn for counters in memory', () => {
    const limiter = createLimiter(MEMORY, createSecretResolver({}), fakeClock().read);
    const key = { consumer: 'app', policy: policy({ requestsPerMinute: 1 }) };
    const first = limiter.admit(key);
    const second = limiter.admit(key);
    expect(first).not.toBeInstanceOf(Promise);
    expect(second).not.toBeInstanceOf(Promise);
    expect([(first as LimitDecision).allowed, (second as LimitDecision).allowed]).toEqual([true, false]);
    expect((second as LimitDecision).headers['x-ratelimit-remaining-requests']).toBe('0');
  });
});

describe.skipIf(!redisServerAvailable)('Redis limiter', () => {
  const redis = useRedisServer();
  const redisStore = (prefix = 'mg-test:'): IRLimitStore => ({
    type: 'redis',
    url: parseSecretRef('env:REDIS_URL'),
    keyPrefix: prefix,
    onUnavailable: 'deny',
  });
  const redisLimiter = (read: () => number, prefix?: string) =>
    redis.track(createLimiter(redisStore(prefix), createSecretResolver({ REDIS_URL: redis.url() }), read));

  limiterContract('shared by two replicas', () => {
    const { clock, read } = fakeClock();
    return { replicas: [redisLimiter(read), redisLimiter(read)], clock };
  });

  it('decides exactly like the memory limiter, step for step', async () => {
    const step = fc.oneof(
      fc.record({ op: fc.constant('admit' as const) }),
      fc.record({
        op: fc.constant('record' as const),
        tokens: fc.integer({ min: 0, max: 400 }),
        costUsd: fc.double({ min: 0, max: 0.2, noNaN: true }),
      }),
      fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 70_000 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        const { clock, read } = fakeClock();
        const memory = createLimiter(MEMORY, createSecretResolver({}), read);
        const redis = redisLimiter(read);
        const key = { consumer: 'app', policy: policy({ requestsPerMinute: 4, tokensPerMinute: 900, monthlyBudgetUsd: 0.5 }) };
        for (const s of steps) {
          if (s.op === 'wait') clock.now += s.ms;
          else if (s.op === 'record') await Promise.all([memory.record(key, s), redis.record(key, s)]);
          else expect(await redis.admit(key)).toEqual(await memory.admit(key));
        }
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it('prefixes its keys and gives every key a TTL', async () => {
    const { read } = fakeClock();
    const limiter = redisLimiter(read, 'ttl-check:');
    const key = { consumer: 'app', policy: policy({ requestsPerMinute: 5, tokensPerMinute: 5, monthlyBudgetUsd: 5 }) };
    await limiter.admit(key);
    await limiter.record(key, { tokens: 3, costUsd: 0.5 });
    const raw = new Redis(redis.url());
    try {
      const keys = (await raw.keys('ttl-check:*')).sort();
      expect(keys).toEqual([
        `ttl-check:rl:{${key.policy.name}:app}:b:${2026 * 12 + 2}`,
        `ttl-check:rl:{${key.policy.name}:app}:r:${Math.floor(START / 60_000)}`,
        `ttl-check:rl:{${key.policy.name}:app}:t:${Math.floor(START / 60_000)}`,
      ]);
      for (const k of keys) expect(await raw.pttl(k)).toBeGreaterThan(0);
    } finally {
      raw.disconnect();
    }
  });

  it('costs one script call per request: recorded usage travels with the next admit', async () => {
    const { clock, read } = fakeClock();
    const limiter = createLimiter(redisStore('carry:'), createSecretResolver({ REDIS_URL: redis.url() }), read);
    const raw = new Redis(redis.url());
    const scriptCalls = async () => {
      const stats = await raw.info('commandstats');
      return [...stats.matchAll(/^cmdstat_eval(?:sha)?:calls=(\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    };
    try {
      const key = { consumer: 'app', policy: policy({ requestsPerMinute: 100, tokensPerMinute: 1000, monthlyBudgetUsd: 5 }) };
      const before = await scriptCalls();
      const recorded: Promise<void>[] = [];
      for (let i = 0; i < 20; i++) {
        expect((await limiter.admit(key)).allowed).toBe(true);
        recorded.push(limiter.record(key, { tokens: 30, costUsd: 0.01 }));
        clock.now += 1000;
      }
      await Promise.all(recorded); // the last one, carried by no admit, is sent after RECORD_DELAY_MS
      expect((await scriptCalls()) - before).toBe(21);
      // Every token is counted: 600 of 1000 used.
      expect((await limiter.admit(key)).headers['x-ratelimit-remaining-tokens']).toBe('400');
    } finally {
      raw.disconnect();
      await limiter.close();
    }
  });

  it('never sends a command for a policy without limits', async () => {
    // Nothing listens on port 1: any command would fail.
    const limiter = createLimiter(
      { type: 'redis', url: parseSecretRef('env:REDIS_URL'), keyPrefix: 'x:', onUnavailable: 'deny' },
      createSecretResolver({ REDIS_URL: 'redis://127.0.0.1:1' }),
    );
    try {
      const key = { consumer: 'app', policy: policy({}) };
      expect((await limiter.admit(key)).allowed).toBe(true);
      await limiter.record(key, { tokens: 10, costUsd: 1 });
    } finally {
      await limiter.close();
    }
  });

  it('fails closed and fast when Redis is unreachable, without printing the URL password', async () => {
    const errors: string[] = [];
    const limiter = createLimiter(
      { type: 'redis', url: parseSecretRef('env:REDIS_URL'), keyPrefix: 'x:', onUnavailable: 'deny' },
      createSecretResolver({ REDIS_URL: 'redis://:s3cret-pass@127.0.0.1:1' }),
      Date.now,
      { onError: (err) => errors.push(String(err)) },
    );
    try {
      const started = Date.now();
      const failure = await Promise.resolve(limiter.admit({ consumer: 'app', policy: policy({ requestsPerMinute: 1 }) })).then(
        () => 'admitted',
        (err: Error) => String(err),
      );
      expect(failure).not.toBe('admitted');
      expect(Date.now() - started).toBeLessThan(5000);
      expect([failure, ...errors].join('\n')).not.toContain('s3cret-pass');
    } finally {
      await limiter.close();
    }
  });
});

if (!redisServerAvailable) console.warn(REDIS_MISSING);
