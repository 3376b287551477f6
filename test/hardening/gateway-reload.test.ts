// Reload under load (issue #7, item 6): autocannon drives the bundled gateway.mjs while its config.json is swapped
// 20 times, valid and invalid, by replacing the file, writing into it, and SIGHUP. No request may fail; each
// valid config takes over, and each invalid one is refused with the previous config still serving.
import autocannon from 'autocannon';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IR } from '../../compiler/ir/types.ts';
import { UPSTREAM_KEYS } from '../support/gateway-fixture.ts';
import { KEYS } from '../support/ir-fixture.ts';
import { startMockAnthropic, startMockOpenAI, type MockUpstream } from '../mock-providers/index.ts';
import { bearer, chatBody, eventually, processIR, request, SOAK, useGatewayProcesses, type GatewayProcess } from './gateway-helpers.ts';

/** GATEWAY_SOAK=1: 100. */
const SWAPS = SOAK ? 100 : 20;

const processes = useGatewayProcesses('reload');
const configPath = path.join(processes.dir, 'config.json');
let oai: MockUpstream;
let ant: MockUpstream;
let gw: GatewayProcess;

/** The fixture with route `chat` served by `provider` alone. */
function serving(provider: 'oai' | 'ant'): IR {
  const ir = processIR(oai, ant, path.join(processes.dir, 'usage.jsonl'));
  const chat = ir.routes.find((r) => r.name === 'chat')!;
  chat.targets = [
    provider === 'oai'
      ? { provider: 'oai', model: 'gpt-4o-mini', weight: 100 }
      : { provider: 'ant', model: 'claude-3-5-haiku', weight: 100 },
  ];
  chat.fallbacks = [];
  return ir;
}

/** Configs the gateway must refuse, each for another reason. */
const INVALID: [what: string, text: () => string][] = [
  ['not JSON', () => JSON.stringify(serving('ant')).slice(0, 200)],
  ['another irVersion', () => JSON.stringify({ ...serving('ant'), irVersion: 99 })],
  [
    'a credential that is not set',
    () => {
      const ir = serving('ant');
      ir.providers[1].credential = { ref: 'env:NOT_SET_ANYWHERE', source: 'env', name: 'NOT_SET_ANYWHERE' };
      return JSON.stringify(ir);
    },
  ],
  [
    'a route naming no provider',
    () => {
      const ir = serving('ant');
      ir.routes[0].targets = [{ provider: 'nobody', model: 'x', weight: 100 }];
      return JSON.stringify(ir);
    },
  ],
  [
    'a template that does not compile',
    () => {
      const ir = serving('ant');
      ir.prompts[0].versions.v1.messages[0].content = '{{#if}}';
      return JSON.stringify(ir);
    },
  ],
  [
    'a usage log that cannot be opened',
    () => {
      const ir = serving('ant');
      ir.gateway.logging.usage.path = path.join(processes.dir, 'no-such-dir', 'usage.jsonl');
      return JSON.stringify(ir);
    },
  ],
];

beforeAll(async () => {
  [oai, ant] = await Promise.all([
    startMockOpenAI({ apiKey: UPSTREAM_KEYS.OAI_KEY, record: false }),
    startMockAnthropic({ apiKey: UPSTREAM_KEYS.ANT_KEY, record: false }),
  ]);
  gw = await processes.start(serving('oai'), { configPath });
});
afterAll(() => Promise.all([oai?.close(), ant?.close()]));

const provider = async () =>
  (await request(`${gw.url}/v1/chat/completions`, { headers: bearer(KEYS.alice), body: chatBody('chat') })).headers['x-modelgate-provider'];
const refusals = () => gw.logLines().filter((l) => l.msg === 'new config refused; the previous one keeps serving').length;

/** autocannon running until `stop()` (or its duration, a safety bound), and its result. */
function startLoad(options: Parameters<typeof autocannon>[0]) {
  let instance!: ReturnType<typeof autocannon>;
  const result = new Promise<Parameters<Parameters<typeof autocannon>[1]>[1]>((resolve, reject) => {
    instance = autocannon(options, (err, r) => (err ? reject(err) : resolve(r)));
  });
  return { result, stop: () => instance.stop() };
}

/** Three ways a config changes: replaced (editors, ConfigMaps), written in place, written in place and SIGHUP. */
function install(text: string, how: number): void {
  if (how === 0) {
    fs.writeFileSync(`${configPath}.tmp`, text);
    fs.renameSync(`${configPath}.tmp`, configPath);
  } else {
    fs.writeFileSync(configPath, text);
    if (how === 2) gw.child.kill('SIGHUP');
  }
}

describe('reload under load', () => {
  it(`swaps the config ${SWAPS} times under traffic without a failed request`, { timeout: SOAK ? 300_000 : 30_000 }, async () => {
    const load = startLoad({
      url: `${gw.url}/v1/chat/completions`,
      method: 'POST',
      headers: bearer(KEYS.alice),
      body: chatBody('chat'),
      connections: 16,
      duration: SOAK ? 280 : 25,
      timeout: 10,
    });
    try {
      let current: 'oai' | 'ant' = 'oai';
      for (let swap = 0; swap < SWAPS; swap++) {
        if (swap % 2 === 0) {
          current = current === 'oai' ? 'ant' : 'oai';
          install(JSON.stringify(serving(current)), swap % 3);
          await eventually(`config ${swap} (${current}) serves`, async () => (await provider()) === current);
        } else {
          const [what, text] = INVALID[(swap >> 1) % INVALID.length];
          const before = refusals();
          install(text(), swap % 3);
          await eventually(`config ${swap} (${what}) is refused`, () => refusals() > before);
          expect(await provider(), `after refusing ${what}`).toBe(current);
        }
      }
    } finally {
      load.stop();
    }
    const { errors, timeouts, non2xx, '2xx': ok } = await load.result;
    expect({ errors, timeouts, non2xx }).toEqual({ errors: 0, timeouts: 0, non2xx: 0 });
    expect(ok).toBeGreaterThan(SWAPS * 10);
    const metrics = (await request(`${gw.url}/metrics`, { method: 'GET' })).body;
    expect(Number(/modelgate_config_reloads_total\{result="success"\} (\d+)/.exec(metrics)?.[1])).toBe(SWAPS / 2);
    // Every refusal counts, whatever its reason: a SIGHUP and the file watcher may each refuse the same file.
    expect(refusals()).toBeGreaterThanOrEqual(SWAPS / 2);
    expect(Number(/modelgate_config_reloads_total\{result="failure"\} (\d+)/.exec(metrics)?.[1])).toBe(refusals());
    expect(gw.child.exitCode).toBeNull();
  });
});
