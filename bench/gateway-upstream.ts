// The gateway's upstream client alone (issue #15): CPU per keep-alive POST exchange against the mock upstream
// (bench/servers/mock-upstream.mjs, another process), answer read whole, for the clients a gateway could use:
// the gateway's own exchange (gateway/upstream.ts on its HTTP/1.1 client, gateway/http1/), what it used before
// (undici's dispatch API on one Client per connection), Node's `http.request` with a keep-alive Agent (what the bare
// proxy uses), undici's Pool through the same dispatch API, and the floor under them all (a raw socket, no HTTP client). The CPU is this process's (process.cpuUsage), the client's alone: the mock's is not counted. Short ABBA
// rounds, medians. Usage: npx tsx bench/gateway-upstream.ts [--exchanges 20000] [--rounds 6] [--connections 50,1]
// [--baseline /work/main/gateway/upstream.ts]
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client as UndiciClient, type Dispatcher, Pool } from 'undici';
import type { Endpoint, UpstreamCall } from '../gateway/providers/adapter.ts';
import * as upstream from '../gateway/upstream.ts';
import { commandLine, count } from './lib/args.ts';
import { isMain } from './lib/cli.ts';
import { currentLoad, loadSince } from './lib/machine.ts';
import { table } from './lib/markdown.ts';
import { ProcessGroup, waitForLine } from './lib/processes.ts';
import { median } from './lib/stats.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** A Messages request as the gateway sends it to Anthropic (bench/gateway-apis.ts's body, the gateway's headers). */
const BODY = Buffer.from(JSON.stringify({ model: 'claude-bench', max_tokens: 64, messages: [{ role: 'user', content: 'Say hello.' }] }));
const HEADERS = {
  'content-type': 'application/json',
  'anthropic-version': '2023-06-01',
  'x-api-key': 'sk-bench-upstream',
  'x-request-id': '0e218f7e-634f-459d-ac73-c71839426660',
  'content-length': String(BODY.length),
};
const PATH = '/v1/messages';
const MAX_BYTES = 10 * 1024 * 1024;

/** One exchange: resolves with the whole answer body. */
type Exchange = () => Promise<Buffer>;

interface Client {
  name: string;
  exchange: Exchange;
  close(): Promise<void>;
}

/** gateway/upstream.ts's exports, from this tree or another checkout's (`--baseline`). */
type UpstreamModule = Pick<typeof import('../gateway/upstream.ts'), 'CancelScope' | 'OriginPool' | 'UpstreamExchange'>;

function gatewayClient(port: number, name: string, { CancelScope, OriginPool, UpstreamExchange }: UpstreamModule): Client {
  const endpoint: Endpoint = { protocol: 'http:', hostname: '127.0.0.1', port, path: PATH, host: `127.0.0.1:${port}` };
  const pool = new OriginPool(`http://127.0.0.1:${port}`);
  const headers = Object.entries({ host: endpoint.host, ...HEADERS }).flat();
  return {
    name,
    exchange: async () => {
      const call: UpstreamCall = { endpoint, headers: [...headers], body: BODY };
      const ex = new UpstreamExchange(call, pool, 30_000, new CancelScope(), MAX_BYTES);
      const status = await ex.status;
      if (status !== 200) throw new Error(`status ${status}`);
      const body = ex.wholeBody() ?? (await ex.readBody());
      ex.done();
      return body;
    },
    close: () => pool.destroy(),
  };
}

function nodeHttpClient(port: number): Client {
  const agent = new Agent({ keepAlive: true, maxSockets: 1024 });
  const headers = { host: `127.0.0.1:${port}`, ...HEADERS };
  return {
    name: 'http.request + keep-alive Agent',
    exchange: () =>
      new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method: 'POST', path: PATH, headers, agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end(BODY);
      }),
    close: async () => agent.destroy(),
  };
}

/** What gateway/upstream.ts was before: an undici Client per connection (most recently used first), dispatch API. */
function undiciClientPerConnection(port: number): Client {
  const idle: UndiciClient[] = [];
  const headers = Object.entries({ host: `127.0.0.1:${port}`, ...HEADERS }).flat();
  return {
    name: 'undici Client per connection, dispatch API (the gateway before)',
    exchange: () =>
      new Promise((resolve, reject) => {
        const client =
          idle.pop() ??
          new UndiciClient(`http://127.0.0.1:${port}`, {
            keepAliveTimeout: 30_000,
            keepAliveMaxTimeout: 30_000,
            headersTimeout: 0,
            bodyTimeout: 0,
          });
        client.dispatch(
          { path: PATH, method: 'POST', headers: [...headers], body: BODY },
          smallHandler(resolve, reject, () => idle.push(client)),
        );
      }),
    close: async () => {
      await Promise.all(idle.splice(0).map((c) => c.destroy()));
    },
  };
}

/** A dispatch handler as small as the gateway's was: the body's pieces, handed over whole. */
function smallHandler(resolve: (body: Buffer) => void, reject: (err: Error) => void, done = () => {}): Dispatcher.DispatchHandlers {
  const chunks: Buffer[] = [];
  return {
    onConnect() {},
    onHeaders: () => true,
    onData: (c: Buffer) => (chunks.push(c), true),
    onComplete: () => {
      done();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
    },
    onError: reject,
  };
}

/** undici's Pool through the dispatch API, with a handler as small as the gateway's. */
function undiciPoolClient(port: number): Client {
  const pool = new Pool(`http://127.0.0.1:${port}`, { keepAliveTimeout: 30_000, headersTimeout: 0, bodyTimeout: 0 });
  const headers = Object.entries({ host: `127.0.0.1:${port}`, ...HEADERS }).flat();
  return {
    name: 'undici Pool, dispatch API',
    exchange: () =>
      new Promise((resolve, reject) => {
        pool.dispatch({ path: PATH, method: 'POST', headers: [...headers], body: BODY }, smallHandler(resolve, reject));
      }),
    close: () => pool.close(),
  };
}

/**
 * Not a client: the floor under any of them. One socket per connection, the request written as one prebuilt block
 * (one `writev`), the answer taken as it arrives in one read, its headers skipped unparsed (the mock's JSON answers
 * are small and carry a content-length). What is left above this is the clients' own work.
 */
function rawSocketFloor(port: number): Client {
  const head = Buffer.from(
    `POST ${PATH} HTTP/1.1\r\n${Object.entries({ host: `127.0.0.1:${port}`, connection: 'keep-alive', ...HEADERS })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('')}\r\n`,
    'latin1',
  );
  const idle: { socket: ReturnType<typeof connect>; answer?: (body: Buffer) => void }[] = [];
  const open = () => {
    const conn: (typeof idle)[number] = { socket: connect(port, '127.0.0.1') };
    conn.socket.setNoDelay(true);
    conn.socket.on('data', (bytes: Buffer) => {
      const answer = conn.answer!;
      conn.answer = undefined;
      idle.push(conn);
      answer(bytes.subarray(bytes.indexOf('\r\n\r\n') + 4));
    });
    return conn;
  };
  return {
    name: 'floor: raw socket, prebuilt request, answer unparsed',
    exchange: () =>
      new Promise((resolve) => {
        const conn = idle.pop() ?? open();
        conn.answer = resolve;
        conn.socket.cork();
        conn.socket.write(head);
        conn.socket.write(BODY);
        conn.socket.uncork();
      }),
    close: async () => {
      for (const conn of idle.splice(0)) conn.socket.destroy();
    },
  };
}

/** CPU µs per exchange of `n` exchanges, `connections` at a time. */
async function measure(client: Client, n: number, connections: number): Promise<number> {
  let left = n;
  const worker = async () => {
    while (left-- > 0) {
      const body = await client.exchange();
      if (body.length < 100) throw new Error(`${client.name}: short answer`);
    }
  };
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: connections }, worker));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / n;
}

export async function runUpstreamBench(o: {
  exchanges: number;
  rounds: number;
  connections: number[];
  baseline?: string;
}): Promise<string> {
  const baseline: UpstreamModule | undefined = o.baseline ? await import(resolve(o.baseline)) : undefined;
  const loadAtStart = currentLoad();
  const group = new ProcessGroup();
  try {
    const mock = group.start('mock upstream', process.execPath, ['bench/servers/mock-upstream.mjs'], { cwd: ROOT });
    const port = Number(await waitForLine(mock, /listening (\d+)/, 10_000));
    const rows: string[][] = [];
    for (const connections of o.connections) {
      const clients = [
        gatewayClient(port, 'gateway/upstream.ts (own HTTP/1.1 client)', upstream),
        ...(baseline ? [gatewayClient(port, `baseline: ${o.baseline}`, baseline)] : []),
        undiciClientPerConnection(port),
        nodeHttpClient(port),
        undiciPoolClient(port),
        rawSocketFloor(port),
      ];
      const samples = clients.map(() => [] as number[]);
      for (const c of clients) await measure(c, Math.min(o.exchanges, 2000), connections); // warm-up
      for (let r = 0; r < o.rounds; r++) {
        const order = r % 2 ? [...clients.keys()].reverse() : [...clients.keys()];
        for (const i of order) samples[i]!.push(await measure(clients[i]!, o.exchanges, connections));
      }
      const ours = median(samples[0]!);
      for (const [i, c] of clients.entries()) {
        const mine = median(samples[i]!);
        rows.push([
          c.name,
          String(connections),
          `${mine.toFixed(1)} µs`,
          `${(mine / ours).toFixed(2)}×`,
          `${Math.min(...samples[i]!).toFixed(1)}–${Math.max(...samples[i]!).toFixed(1)} µs`,
        ]);
      }
      await Promise.all(clients.map((c) => c.close()));
    }
    return [
      `${o.rounds} ABBA rounds of ${o.exchanges} exchanges per client after a warm-up; CPU of the client process per exchange, medians. ${loadSince(loadAtStart)}`,
      '',
      table(['client', 'connections', 'CPU per exchange', 'vs gateway', 'range of rounds'], rows),
    ].join('\n');
  } finally {
    group.stopAll();
  }
}

if (isMain(import.meta.url)) {
  const { values } = commandLine({
    script: 'bench/gateway-upstream.ts',
    summary:
      'CPU per keep-alive POST exchange of the gateway’s upstream client, beside undici (its Client as the gateway used it, its Pool), http.request and a raw-socket floor.',
    options: {
      exchanges: count(20_000, 'exchanges per client and round'),
      rounds: count(6, 'alternating rounds'),
      connections: { type: 'numbers', integer: true, min: 1, default: [50, 1], description: 'comma-separated connection counts' },
      baseline: { type: 'string', description: 'another checkout’s gateway/upstream.ts, measured as one more lane' },
    },
  });
  console.log(await runUpstreamBench(values));
}
