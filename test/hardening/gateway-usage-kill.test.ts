// Usage records under SIGKILL (issue #7, item 7): the bundled gateway.mjs is killed without warning while 64
// clients keep it busy. The runtime writes each usage line synchronously before the response it records is sent,
// so every answer a client received in full (a JSON 2xx, or a stream up to [DONE]) must have its line in the
// file, and no line may be torn. Quick: 2 kills; GATEWAY_SOAK=1: 10.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPSTREAM_KEYS } from '../support/gateway-fixture.ts';
import { KEYS } from '../support/ir-fixture.ts';
import { startMockAnthropic, startMockOpenAI, type MockUpstream } from '../mock-providers/index.ts';
import { bearer, chatBody, eventually, processIR, request, SOAK, useGatewayProcesses } from './gateway-helpers.ts';

const KILLS = SOAK ? 10 : 2;
const CLIENTS = 64;
/** Answers received in full before the kill; enough that the kill lands in the middle of steady traffic. */
const ANSWERS_BEFORE_KILL = 400;

const processes = useGatewayProcesses('usage-kill');
let oai: MockUpstream;
let ant: MockUpstream;

beforeAll(async () => {
  [oai, ant] = await Promise.all([
    startMockOpenAI({ apiKey: UPSTREAM_KEYS.OAI_KEY, record: false }),
    startMockAnthropic({ apiKey: UPSTREAM_KEYS.ANT_KEY, record: false }),
  ]);
});
afterAll(() => Promise.all([oai?.close(), ant?.close()]));

/** JSON and streamed calls, on the OpenAI and the Anthropic upstream, plus refusals (4xx lines count too). */
const BODIES = [
  chatBody('chat'),
  chatBody('claude'),
  chatBody('chat', { stream: true }),
  chatBody('claude', { stream: true }),
  chatBody('no-such-route'),
];

describe('usage records when the gateway is killed', () => {
  it(`keeps the line of every answer a client received, through ${KILLS} SIGKILLs under load`, {
    timeout: SOAK ? 300_000 : 60_000,
  }, async () => {
    for (let kill = 0; kill < KILLS; kill++) {
      const usagePath = path.join(processes.dir, `usage-${kill}.jsonl`);
      const gw = await processes.start(processIR(oai, ant, usagePath));
      const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
      const answered: string[] = [];
      let killed = false;
      let seq = 0;
      const client = async (c: number) => {
        while (!killed) {
          const id = `kill${kill}-c${c}-${seq++}`;
          const body = BODIES[seq % BODIES.length];
          const reply = await request(`${gw.url}/v1/chat/completions`, {
            headers: { ...bearer(KEYS.alice), 'x-request-id': id },
            body,
            agent,
          }).catch(() => undefined);
          // A complete answer; for a stream, up to its closing [DONE] (whose line is written before it is sent).
          if (reply && (reply.status !== 200 || !body.includes('"stream":true') || reply.body.endsWith('data: [DONE]\n\n')))
            answered.push(id);
        }
      };
      const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));
      await eventually(`${ANSWERS_BEFORE_KILL} answers`, () => answered.length >= ANSWERS_BEFORE_KILL, 20_000);
      gw.child.kill('SIGKILL');
      // Answers that arrive after this point raced the kill; only those received before it are checked.
      const received = [...answered];
      killed = true;
      expect(await gw.exited).toBe('SIGKILL');
      await Promise.all(clients);
      agent.destroy();

      const lines = fs.readFileSync(usagePath, 'utf8').split('\n');
      expect(lines.pop()).toBe(''); // the file ends with a whole line
      const logged = new Set(lines.map((line) => JSON.parse(line).requestId as string));
      const missing = received.filter((id) => !logged.has(id));
      expect(missing, `${missing.length} of ${received.length} answered requests have no usage line`).toEqual([]);
    }
  });

  it('does not start when its usage log cannot be opened: exit 1 and one line saying why', async () => {
    const started = processes.start(processIR(oai, ant, path.join(processes.dir, 'no-such-dir', 'usage.jsonl')));
    await expect(started).rejects.toThrow(
      /exited \(1\) before listening: .*cannot start: ENOENT: no such file or directory, open '[^']*no-such-dir\/usage.jsonl'/,
    );
  });
});
