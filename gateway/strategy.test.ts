// Route strategies through the gateway against the mock upstreams: which provider answers, request after request.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IRRoute } from '../compiler/ir/types.ts';
import { startTestGateway, type TestGateway } from '../test/support/gateway-fixture.ts';
import { KEYS } from '../test/support/ir-fixture.ts';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway((ir) => {
    const chat = ir.routes.find((r) => r.name === 'chat')!;
    // Anthropic first and dearest (0.8 + 4 USD per million tokens, OpenAI 0.15 + 0.6), weights even.
    const targets: IRRoute['targets'] = [
      { provider: 'ant', model: 'claude-3-5-haiku', weight: 50 },
      { provider: 'oai', model: 'gpt-4o-mini', weight: 50 },
    ];
    for (const strategy of ['priority', 'lowest-cost', 'lowest-latency'] as const) {
      ir.routes.push({ ...chat, name: strategy, strategy, targets, fallbacks: [] });
      ir.accessPolicies.find((p) => p.name === 'everything')!.routes.push(strategy);
    }
  });
});
afterAll(() => t.close());
beforeEach(() => {
  t.oai.reset();
  t.ant.reset();
});

/** The providers that answered `n` requests for `model`, one after another. */
async function providers(model: string, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${t.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.alice}` },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    out.push(res.headers.get('x-modelgate-provider')!);
  }
  return out;
}

describe('route strategies', () => {
  it('priority: the first target while it answers, the next when it fails', async () => {
    expect(await providers('priority', 6)).toEqual(Array(6).fill('ant'));
    t.ant.enqueue({ status: 503 }, { status: 503 });
    expect(await providers('priority', 2)).toEqual(['oai', 'ant']);
  });

  it('lowest-cost: the cheapest target by its model prices, whatever the order and weights', async () => {
    expect(await providers('lowest-cost', 6)).toEqual(Array(6).fill('oai'));
    t.oai.enqueue({ status: 500 }, { status: 500 });
    expect(await providers('lowest-cost', 1)).toEqual(['ant']);
  });

  it('lowest-latency: each target measured once, then the fastest; a slow one is left', async () => {
    // The means include the answers of the tests above, among them oai's first, which pays for a new connection and
    // cold code: on a loaded machine, hundreds of milliseconds. The slow answers here are well above that (with 400
    // ms ones, ant kept serving once at load 8).
    t.ant.setDefault({ delayMs: 1000 });
    // Latencies are per provider model, whatever the route: the tests above measured both already. Unmeasured,
    // ant (first as written) and then oai would each get one request; measured, oai serves at once.
    const before = await providers('lowest-latency', 6);
    expect(before.slice(2)).toEqual(['oai', 'oai', 'oai', 'oai']);
    t.ant.setDefault({});
    t.oai.setDefault({ delayMs: 1500 });
    // oai's mean climbs over ant's (one slow answer among fast ones) after one or two slow answers; from then on ant
    // serves. On a loaded machine the fast answers are not so fast and it may take more: room for it.
    const after = await providers('lowest-latency', 10);
    expect(after.slice(-2)).toEqual(['ant', 'ant']);
  });
});
