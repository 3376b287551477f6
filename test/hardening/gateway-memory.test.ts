// Gateway memory (issue #7, item 4): the bundled gateway.mjs, in a child process, serves a mix of every kind of
// request, failure and abandoned stream; its heap after a full GC must not grow between checkpoints. Quick: 5,000
// requests; GATEWAY_SOAK=1: 100,000.
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPSTREAM_KEYS } from '../support/gateway-fixture.ts';
import { KEYS } from '../support/ir-fixture.ts';
import { startMockAnthropic, startMockOpenAI, type MockUpstream } from '../mock-providers/index.ts';
import {
  bearer,
  chatBody,
  processIR,
  request,
  runConcurrently,
  sleep,
  SOAK,
  useGatewayProcesses,
  type GatewayProcess,
} from './gateway-helpers.ts';

/** Requests before the first checkpoint (warm-up: JIT, pools, caches fill), and in total. */
const WARM_UP = SOAK ? 20_000 : 1_000;
const TOTAL = SOAK ? 100_000 : 5_000;
/** Heap growth allowed from the first checkpoint to the last: a leak of 500 bytes a request (50 in the soak) fails. */
const MAX_GROWTH_BYTES = SOAK ? 4 * 1024 * 1024 : 2 * 1024 * 1024;
const CONCURRENCY = 16;

const processes = useGatewayProcesses('memory');
let oai: MockUpstream;
let ant: MockUpstream;
let gw: GatewayProcess;
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

beforeAll(async () => {
  [oai, ant] = await Promise.all([
    startMockOpenAI({ apiKey: UPSTREAM_KEYS.OAI_KEY, record: false }),
    startMockAnthropic({ apiKey: UPSTREAM_KEYS.ANT_KEY, record: false }),
  ]);
  const ir = processIR(oai, ant, path.join(processes.dir, 'usage.jsonl'));
  // A route whose first provider refuses every connection: each call fails, retries, then falls back.
  ir.providers.push({ ...ir.providers[0], name: 'down', baseUrl: 'http://127.0.0.1:1/v1' });
  ir.routes.push({
    ...ir.routes[0],
    name: 'flaky',
    targets: [{ provider: 'down', model: 'gpt-4o-mini', weight: 100 }],
    fallbacks: [{ provider: 'oai', model: 'gpt-4o-mini' }],
  });
  ir.accessPolicies[0].routes.push('flaky');
  gw = await processes.start(ir, { heapProbe: true });
});
afterAll(async () => {
  agent.destroy();
  await Promise.all([oai?.close(), ant?.close()]);
});

/** One request of the mix and the status it must get. */
type Kind = () => Promise<[status: number, expected: number]>;

const post = (body: string, key: string = KEYS.alice, path = '/v1/chat/completions') =>
  request(`${gw.url}${path}`, { headers: bearer(key), body, agent }).then((r) => r.status);

/** A stream the client walks away from after its first bytes. */
const abandonedStream = () =>
  new Promise<number>((resolve, reject) => {
    const req = http.request(`${gw.url}/v1/chat/completions`, { method: 'POST', headers: bearer(KEYS.alice) }, (res) => {
      res.once('data', () => {
        req.destroy();
        resolve(res.statusCode!);
      });
    });
    req.on('error', () => {});
    req.once('error', reject);
    req.end(chatBody('chat', { stream: true }));
  });

const MIX: Kind[] = [
  async () => [await post(chatBody('chat')), 200],
  async () => [await post(chatBody('chat', { stream: true, stream_options: { include_usage: true } })), 200],
  async () => [await post(chatBody('claude')), 200],
  async () => [await post(chatBody('claude', { stream: true })), 200],
  async () => [await post(chatBody('cached')), 200],
  async () => [await post(JSON.stringify({ model: 'embed', input: ['a', 'b'] }), KEYS.alice, '/v1/embeddings'), 200],
  async () => [await post(chatBody('flaky')), 200],
  async () => [await post(chatBody('chat'), 'sk-wrong'), 401],
  async () => [await post('{"model":'), 400],
  async () => [await post(chatBody('no-such-route')), 404],
  async () => [await post(JSON.stringify({ variables: { name: 'Ann' } }), KEYS.alice, '/v1/prompts/greet'), 200],
  async () => [await abandonedStream(), 200],
];

async function serve(from: number, to: number): Promise<void> {
  const wrong: string[] = [];
  await runConcurrently(to - from, CONCURRENCY, async (i) => {
    const [status, expected] = await MIX[(from + i) % MIX.length]();
    if (status !== expected && wrong.length < 10) wrong.push(`kind ${(from + i) % MIX.length}: ${status} instead of ${expected}`);
  });
  expect(wrong).toEqual([]);
}

/** heapUsed after GC, once the gateway has let go of the requests just served. */
async function settledHeap(): Promise<number> {
  await sleep(300);
  return gw.heapUsed();
}

describe('gateway memory', () => {
  it(`keeps its heap flat over ${TOTAL.toLocaleString('en')} mixed requests`, { timeout: SOAK ? 900_000 : 60_000 }, async () => {
    await serve(0, WARM_UP);
    const checkpoints = [await settledHeap()];
    const step = (TOTAL - WARM_UP) / 4;
    for (let done = WARM_UP; done < TOTAL; done += step) {
      await serve(done, done + step);
      checkpoints.push(await settledHeap());
    }
    const growth = checkpoints.at(-1)! - checkpoints[0];
    const mb = checkpoints.map((b) => (b / 2 ** 20).toFixed(2));
    expect(growth, `heapUsed after GC at the checkpoints, MB: ${mb.join(', ')}`).toBeLessThan(MAX_GROWTH_BYTES);
    expect(gw.child.exitCode).toBeNull();
  });
});
