// Usage records under SIGKILL (issue #7, item 7): the bundled gateway.mjs is killed without warning while 64
// clients keep it busy. The runtime appends the usage lines of each event-loop turn before the responses they record
// end, so every answer a client received in full (a JSON 2xx, or a stream up to [DONE]) must have its line in the
// file, and no line may be torn. Quick: 2 kills; GATEWAY_SOAK=1: 10.
// The same order seen from a client's side: every answer is checked the moment it arrives (its line must already be
// in the file), across a reload that moves the log to another file and through a SIGTERM drain.
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
/** Answers of the order check before its reload, and before its drain. */
const ANSWERS_BEFORE_RELOAD = 600;
const ANSWERS_BEFORE_DRAIN = 1200;
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

/** The request ids of a growing usage log, read from where the last read stopped. */
class LoggedIds {
  readonly ids = new Set<string>();
  private offset = 0;
  private partial = '';

  constructor(readonly file: string) {}

  has(id: string): boolean {
    if (this.ids.has(id)) return true;
    this.readNew();
    return this.ids.has(id);
  }

  private readNew(): void {
    if (!fs.existsSync(this.file)) return;
    const fd = fs.openSync(this.file, 'r');
    try {
      const buf = Buffer.alloc(1 << 20);
      for (let n; (n = fs.readSync(fd, buf, 0, buf.length, this.offset)) > 0; ) {
        this.offset += n;
        const lines = (this.partial + buf.toString('utf8', 0, n)).split('\n');
        this.partial = lines.pop()!;
        for (const line of lines) this.ids.add(JSON.parse(line).requestId);
      }
    } finally {
      fs.closeSync(fd);
    }
  }
}

/**
 * One request; `arrived` runs when the client holds the answer: at the status line of a JSON answer (its body comes
 * in the same write), at the end of a stream (a passed-through stream's `[DONE]` may come before the line: the
 * stream is whole when the response ends). With `leave`, the client goes at the answer's first bytes.
 */
function exchange(url: string, id: string, body: string, agent: http.Agent, arrived: () => void, leave: boolean): Promise<void> {
  return new Promise((resolve) => {
    const req = http.request(url, { method: 'POST', headers: { ...bearer(KEYS.alice), 'x-request-id': id }, agent }, (res) => {
      const streamed = res.headers['content-type']?.startsWith('text/event-stream');
      if (!streamed) arrived();
      res.on('data', () => leave && req.destroy());
      res.on('end', () => {
        if (streamed) arrived();
        resolve();
      });
      res.on('error', resolve).on('close', resolve);
    });
    req.on('error', () => resolve());
    req.end(body);
  });
}

describe('usage lines written once per event-loop turn', () => {
  it('are in the file before any answer arrives, across a reload and a drain, whole, ordered and written once', {
    timeout: 90_000,
  }, async () => {
    const [first, second] = [path.join(processes.dir, 'usage-1.jsonl'), path.join(processes.dir, 'usage-2.jsonl')];
    const configPath = path.join(processes.dir, 'config.json');
    const gw = await processes.start(processIR(oai, ant, first), { configPath });
    const logs = [new LoggedIds(first), new LoggedIds(second)];
    const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
    const url = `${gw.url}/v1/chat/completions`;
    const early: string[] = [];
    let answered = 0;
    let stopped = false;
    let seq = 0;
    const client = async (c: number) => {
      while (!stopped) {
        const n = seq++;
        const id = `order-c${c}-${n}`;
        const arrived = () => {
          answered++;
          if (!logs.some((log) => log.has(id))) early.push(id);
        };
        await exchange(url, id, BODIES[n % BODIES.length], agent, arrived, n % 37 === 2);
      }
    };
    const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));

    await eventually(`${ANSWERS_BEFORE_RELOAD} answers`, () => answered >= ANSWERS_BEFORE_RELOAD, 30_000);
    fs.writeFileSync(configPath, JSON.stringify(processIR(oai, ant, second)));
    await eventually('lines in the second file', () => fs.existsSync(second) && fs.statSync(second).size > 0, 10_000);
    await eventually(`${ANSWERS_BEFORE_DRAIN} answers`, () => answered >= ANSWERS_BEFORE_DRAIN, 30_000);
    gw.child.kill('SIGTERM');
    expect(await gw.exited).toBe(0);
    stopped = true;
    await Promise.all(clients);
    agent.destroy();

    expect(early, `${early.length} of ${answered} answers arrived before their usage line`).toEqual([]);
    const seen = new Set<string>();
    for (const file of [first, second]) {
      const text = fs.readFileSync(file, 'utf8');
      expect(text.endsWith('\n'), `${file} ends with a whole line`).toBe(true);
      const records = text
        .slice(0, -1)
        .split('\n')
        .map((line) => JSON.parse(line));
      const times = records.map((r) => Date.parse(r.ts));
      expect(times, `${file} in time order`).toEqual([...times].sort((a, b) => a - b));
      for (const r of records) {
        expect(seen.has(r.requestId), `${r.requestId} written once`).toBe(false);
        seen.add(r.requestId);
      }
    }
  });
});
