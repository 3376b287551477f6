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
    // Latencies are kept per provider model: lowest-latency gets models of its own, unmeasured whatever the other
    // tests' answers took (on a loaded machine a first answer takes hundreds of milliseconds and would count).
    const latency = ir.routes.find((r) => r.name === 'lowest-latency')!;
    latency.targets = latency.targets.map((target) => {
      const provider = ir.providers.find((p) => p.name === target.provider)!;
      const model = { ...provider.models.find((m) => m.name === target.model)!, name: `${target.model}-own` };
      provider.models.push(model);
      return { ...target, model: model.name };
    });
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
    t.ant.setDefault({ delayMs: 800 });
    // Unmeasured, ant (first as written) and then oai get one request each; measured, oai is the faster.
    expect(await providers('lowest-latency', 3)).toEqual(['ant', 'oai', 'oai']);
    t.ant.setDefault({});
    t.oai.setDefault({ delayMs: 1500 });
    // oai's mean climbs over ant's 800 ms within three slow answers (fewer the slower its fast ones were); then ant.
    const after = await providers('lowest-latency', 5);
    expect(after.slice(-2)).toEqual(['ant', 'ant']);
  });
});
