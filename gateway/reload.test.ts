// Config reload: atomic swap under traffic with no failed request, refusal of a bad config, state that survives.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IR } from '../compiler/ir/types.ts';
import { startTestGateway, type TestGateway } from '../test/support/gateway-fixture.ts';
import { gatewayIR, KEYS } from '../test/support/ir-fixture.ts';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t.close());

const client = (apiKey: string = KEYS.alice) => new OpenAI({ baseURL: t.baseURL, apiKey, maxRetries: 0 });
/** The fixture with route `chat` served by `provider`. */
const configServing = (provider: 'oai' | 'ant'): IR => {
  const ir = gatewayIR(t.oai, t.ant);
  ir.routes.find((r) => r.name === 'chat')!.targets =
    provider === 'oai'
      ? [{ provider: 'oai', model: 'gpt-4o-mini', weight: 100 }]
      : [{ provider: 'ant', model: 'claude-3-5-haiku', weight: 100 }];
  return ir;
};

describe('reload', () => {
  it('swaps configs under traffic without a failed request', async () => {
    t.oai.setDefault({ delayMs: 5 });
    t.ant.setDefault({ delayMs: 5 });
    let failures = 0;
    let done = 0;
    const seen = new Set<string>();
    let running = true;
    const worker = async () => {
      while (running) {
        try {
          const { response } = await client()
            .chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] })
            .withResponse();
          seen.add(response.headers.get('x-modelgate-provider')!);
          done++;
        } catch {
          failures++;
        }
      }
    };
    /** Waits (boundedly) until `n` more requests have completed, so that each config serves some traffic. */
    const traffic = async (n: number) => {
      const target = done + n;
      for (let i = 0; i < 200 && done < target; i++) await new Promise((r) => setTimeout(r, 10));
    };
    const workers = Array.from({ length: 8 }, worker);
    for (let i = 0; i < 10; i++) {
      await traffic(4);
      t.gateway.reload(configServing(i % 2 ? 'oai' : 'ant'));
    }
    await traffic(4);
    running = false;
    await Promise.all(workers);
    expect(failures).toBe(0);
    expect(done).toBeGreaterThanOrEqual(44);
    expect(seen).toEqual(new Set(['oai', 'ant']));
    const { response } = await client()
      .chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    expect(response.headers.get('x-modelgate-provider')).toBe('oai'); // the last config swapped in
  });

  it('refuses a config that does not load and keeps serving the old one', async () => {
    const broken = configServing('ant');
    broken.providers[0].credential = { ref: 'env:NOT_SET_ANYWHERE', source: 'env', name: 'NOT_SET_ANYWHERE' };
    expect(() => t.gateway.reload(broken)).toThrow(/env:NOT_SET_ANYWHERE/);
    const badTemplate = configServing('ant');
    badTemplate.prompts[0].versions.v1.messages[0].content = '{{#if}}';
    expect(() => t.gateway.reload(badTemplate)).toThrow(/prompt "greet"/);
    const { response } = await client()
      .chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    expect(response.headers.get('x-modelgate-provider')).toBe('oai');
    const metrics = await (await fetch(`${t.gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/modelgate_config_reloads_total\{result="failure"\} 2/);
  });

  it('keeps rate-limit counters across a reload that leaves the store alone', async () => {
    const ask = () => client(KEYS.bob).chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] });
    await ask();
    await ask();
    t.gateway.reload(configServing('oai'));
    expect(await ask().catch((e) => e.status)).toBe(429);
  });
});
