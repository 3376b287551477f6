// Limits under concurrency (issue #7, item 5): 200 concurrent clients against requests per minute, tokens per
// minute and a monthly budget, on one gateway with in-memory counters and on two gateway processes (the bundled
// gateway.mjs) sharing one real Redis. Requests are counted at admission, so at most the limit gets through
// (with 1 % slack for a minute boundary crossed mid-burst); tokens and spend are counted once answered, so they
// overshoot by at most what the requests in flight when the limit was reached consume: one request each.
import { createHash } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IR } from '../../compiler/ir/types.ts';
import { startTestGateway, UPSTREAM_KEYS, type TestGateway } from '../support/gateway-fixture.ts';
import { testConsumer, testPolicy } from '../support/ir-fixture.ts';
import { startMockAnthropic, startMockOpenAI, type MockUpstream } from '../mock-providers/index.ts';
import { REDIS_MISSING, redisServerAvailable, startRedisServer, type RedisServer } from '../support/redis-server.ts';
import {
  bearer,
  chatBody,
  expectOpenAIError,
  processIR,
  request,
  sleep,
  SOAK,
  useGatewayProcesses,
  type Reply,
} from './gateway-helpers.ts';

const CLIENTS = 200;
/** What every answer of the mock costs: 20 tokens, at gpt-4o-mini's prices in the fixture. */
const USAGE = { input: 10, output: 10 };
const TOKENS_PER_REQUEST = USAGE.input + USAGE.output;
const NANO_USD_PER_REQUEST = USAGE.input * 150 + USAGE.output * 600; // 0.15 and 0.60 USD per 1M tokens
/** Quick: the limits take two waves of the 200 clients to reach. Soak: a hundred, so that one wave is 1 %. */
const WAVES = SOAK ? 100 : 2;
const LIMITS = {
  requests: 300,
  tokens: WAVES * CLIENTS * TOKENS_PER_REQUEST,
  budgetNanoUsd: WAVES * CLIENTS * NANO_USD_PER_REQUEST,
};
const SEQUENTIAL_BUDGET_NANO_USD = 40 * NANO_USD_PER_REQUEST + NANO_USD_PER_REQUEST / 2;

const CONSUMERS = {
  requests: 'sk-limits-requests',
  tokens: 'sk-limits-tokens',
  budget: 'sk-limits-budget',
  sequential: 'sk-limits-sequential',
};
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** A consumer and an access policy to the `chat` route per limit under test. */
function withLimits(ir: IR): IR {
  const limits: Record<keyof typeof CONSUMERS, IR['accessPolicies'][number]['limits']> = {
    requests: { requestsPerMinute: LIMITS.requests },
    tokens: { tokensPerMinute: LIMITS.tokens },
    budget: { monthlyBudgetUsd: LIMITS.budgetNanoUsd / 1e9 },
    sequential: { monthlyBudgetUsd: SEQUENTIAL_BUDGET_NANO_USD / 1e9 },
  };
  for (const [name, key] of Object.entries(CONSUMERS) as [keyof typeof CONSUMERS, string][]) {
    ir.consumers.push(testConsumer(name, { apiKeys: [{ id: name, sha256: sha256(key) }] }));
    ir.accessPolicies.push(testPolicy(`limit-${name}`, { consumers: [name], routes: ['chat'], limits: limits[name] }));
  }
  return ir;
}

/**
 * A burst that straddles two minute windows may take a little more (the sliding window weighs the old one by the
 * share of it still inside the last 60 s): start one that needs `seconds` in a window that has them left.
 */
async function inOneMinuteWindow(seconds: number): Promise<number> {
  const into = Date.now() % 60_000;
  if (into > 60_000 - seconds * 1000) await sleep(60_000 - into + 50);
  return Math.floor(Date.now() / 60_000);
}
const minuteNow = () => Math.floor(Date.now() / 60_000);

interface Burst {
  admitted: number;
  refusals: Reply[];
  /** Most requests in flight at once. */
  peakInFlight: number;
}

/** `clients` concurrent clients, spread over the gateways, each calling until refused (at most 200 calls each). */
async function untilRefused(urls: string[], key: string, clients: number): Promise<Burst> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const burst: Burst = { admitted: 0, refusals: [], peakInFlight: 0 };
  let inFlight = 0;
  try {
    await Promise.all(
      Array.from({ length: clients }, async (_, client) => {
        for (let i = 0; i < 200; i++) {
          burst.peakInFlight = Math.max(burst.peakInFlight, ++inFlight);
          const reply = await request(`${urls[client % urls.length]}/v1/chat/completions`, {
            headers: bearer(key),
            body: chatBody('chat'),
            agent,
          });
          inFlight--;
          if (reply.status !== 200) return void burst.refusals.push(reply);
          burst.admitted++;
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  return burst;
}

function expectRateLimited(refusals: Reply[], code: string): void {
  expect(refusals.length).toBeGreaterThan(0);
  for (const reply of refusals) {
    expectOpenAIError(reply, 429, code);
    expect(Number(reply.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  }
}

function limitsContract(setup: () => { urls: string[] }) {
  it(`admits at most ${LIMITS.requests} requests per minute of ${CLIENTS} concurrent clients`, async () => {
    await inOneMinuteWindow(5);
    const { admitted, refusals } = await untilRefused(setup().urls, CONSUMERS.requests, CLIENTS);
    expect(admitted).toBeGreaterThanOrEqual(LIMITS.requests);
    expect(admitted).toBeLessThanOrEqual(LIMITS.requests * 1.01);
    expectRateLimited(refusals, 'rate_limit_exceeded');
    expect(refusals[0].headers).toMatchObject({
      'x-ratelimit-limit-requests': String(LIMITS.requests),
      'x-ratelimit-remaining-requests': '0',
    });
  });

  it(`overshoots ${LIMITS.tokens} tokens per minute by at most one request per client in flight`, {
    timeout: SOAK ? 300_000 : 30_000,
  }, async () => {
    const minute = await inOneMinuteWindow(SOAK ? 59 : 5);
    const { admitted, refusals, peakInFlight } = await untilRefused(setup().urls, CONSUMERS.tokens, CLIENTS);
    const tokens = admitted * TOKENS_PER_REQUEST;
    expect(tokens).toBeGreaterThanOrEqual(LIMITS.tokens);
    expect(tokens).toBeLessThanOrEqual(LIMITS.tokens + peakInFlight * TOKENS_PER_REQUEST);
    if (SOAK) {
      expect(minuteNow(), 'the burst must fit in one minute window for the 1 % bound to apply').toBe(minute);
      expect(tokens).toBeLessThanOrEqual(LIMITS.tokens * 1.01);
    }
    expectRateLimited(refusals, 'rate_limit_exceeded');
  });

  it('overspends a monthly budget by at most one request per client in flight', { timeout: SOAK ? 300_000 : 30_000 }, async () => {
    const { admitted, refusals, peakInFlight } = await untilRefused(setup().urls, CONSUMERS.budget, CLIENTS);
    const spent = admitted * NANO_USD_PER_REQUEST;
    expect(spent).toBeGreaterThanOrEqual(LIMITS.budgetNanoUsd);
    expect(spent).toBeLessThanOrEqual(LIMITS.budgetNanoUsd + peakInFlight * NANO_USD_PER_REQUEST);
    if (SOAK) expect(spent).toBeLessThanOrEqual(LIMITS.budgetNanoUsd * 1.01);
    expectRateLimited(refusals, 'insufficient_quota');
  });

  it('overspends a monthly budget by less than one request when requests come one at a time', async () => {
    const { admitted } = await untilRefused(setup().urls, CONSUMERS.sequential, 1);
    const spent = admitted * NANO_USD_PER_REQUEST;
    expect(spent).toBeGreaterThanOrEqual(SEQUENTIAL_BUDGET_NANO_USD);
    expect(spent).toBeLessThan(SEQUENTIAL_BUDGET_NANO_USD + NANO_USD_PER_REQUEST);
  });
}

describe('one gateway, limits in memory', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(withLimits);
    t.oai.setDefault({ usage: USAGE });
  });
  afterAll(() => t?.close());
  limitsContract(() => ({ urls: [t.gateway.url] }));
});

describe.skipIf(!redisServerAvailable)('two gateway processes, limits in one Redis', () => {
  const processes = useGatewayProcesses('limits');
  let redis: RedisServer;
  let oai: MockUpstream;
  let ant: MockUpstream;
  const urls: string[] = [];
  beforeAll(async () => {
    [redis, oai, ant] = await Promise.all([
      startRedisServer(),
      startMockOpenAI({ apiKey: UPSTREAM_KEYS.OAI_KEY, record: false, defaults: { usage: USAGE } }),
      startMockAnthropic({ apiKey: UPSTREAM_KEYS.ANT_KEY, record: false }),
    ]);
    const ir = withLimits(processIR(oai, ant, path.join(processes.dir, 'usage.jsonl')));
    ir.gateway.stores.limits = {
      type: 'redis',
      url: { ref: 'env:REDIS_URL', source: 'env', name: 'REDIS_URL' },
      keyPrefix: 'hardening:',
      onUnavailable: 'deny',
    };
    const started = await Promise.all([0, 1].map(() => processes.start(ir, { env: { REDIS_URL: redis.url } })));
    urls.push(...started.map((g) => g.url));
  });
  afterAll(async () => {
    await Promise.all([oai?.close(), ant?.close()]);
    await redis?.stop();
  });
  limitsContract(() => ({ urls }));
});

if (!redisServerAvailable) console.warn(REDIS_MISSING);
