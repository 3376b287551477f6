// What the gateway hardening suites share: HTTP clients that send what SDKs never would, an upstream scripted
// byte by byte for the faults the mock providers do not model, the bundled gateway.mjs run as child processes
// (killed in afterAll, or when the test process exits, whatever happened), and counters of sockets and heap.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect } from 'vitest';
import type { IR } from '../../compiler/ir/types.ts';
import { bundleGateway } from '../../targets/node/bundle.ts';
import { UPSTREAM_KEYS } from '../support/gateway-fixture.ts';
import { gatewayIR } from '../support/ir-fixture.ts';
import type { MockUpstream } from '../mock-providers/index.ts';

/** `GATEWAY_SOAK=1` (set by `npm run fuzz`) runs the long versions. */
export const SOAK = process.env.GATEWAY_SOAK === '1';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RequestOptions {
  method?: string;
  headers?: http.OutgoingHttpHeaders;
  body?: string | Buffer;
  /** Default `false`: a connection of its own, closed after the exchange. */
  agent?: http.Agent | false;
}

/** One HTTP exchange; `url` is the full URL (`http://127.0.0.1:P/v1/...`). */
export function request(url: string, o: RequestOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: o.method ?? 'POST', headers: o.headers, agent: o.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

/**
 * Bytes no HTTP client library would send: `talk` writes on a raw socket; resolves with everything the server
 * sent back and how long it kept the connection open. Ends the socket itself after `maxMs`.
 */
export function socketExchange(url: string, talk: (socket: net.Socket) => void, maxMs = 10_000): Promise<{ text: string; ms: number }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect(Number(port), hostname, () => talk(socket));
    let text = '';
    const guard = setTimeout(() => socket.destroy(), maxMs);
    socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    socket.on('error', () => {});
    socket.once('close', () => {
      clearTimeout(guard);
      resolve({ text, ms: performance.now() - started });
    });
  });
}

/** Splits a raw HTTP/1.1 response into status, lower-cased headers and body (no chunked decoding). */
export function parseRawResponse(text: string): Reply {
  const [head, ...rest] = text.split('\r\n\r\n');
  const [statusLine, ...headerLines] = head.split('\r\n');
  const headers: http.IncomingHttpHeaders = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') };
}

/** A chat completion request body for `model` (a route name). */
export const chatBody = (model: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], ...extra });

export const bearer = (key: string) => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });

/** An OpenAI-style error answer: the status, JSON, `{error: {message, type, param: null, code}}`. */
export function expectOpenAIError(reply: Reply, status: number, code: string): void {
  expect({ status: reply.status, body: reply.body }).toMatchObject({ status });
  expect(reply.headers['content-type']).toBe('application/json');
  const { error } = JSON.parse(reply.body);
  expect(error).toEqual({ message: expect.any(String), type: expect.any(String), param: null, code });
  expect(error.message.length).toBeGreaterThan(0);
}

/** The `data:` payloads of an SSE body, in order. */
export const sseData = (body: string) =>
  body
    .split(/\n\n/)
    .filter((e) => e.startsWith('data: '))
    .map((e) => e.slice(6));

/** Runs `one(0)` .. `one(total - 1)`, at most `concurrency` at a time. */
export async function runConcurrently(total: number, concurrency: number, one: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < total) await one(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
}

/** Polls `check` every 20 ms until it holds; fails naming `what` after `timeoutMs`. */
export async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await sleep(20);
  }
}

/** TCP sockets and servers open in this process. */
export const tcpHandles = () => process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP')).length;

export const connectionCount = (server: http.Server) =>
  new Promise<number>((resolve, reject) => server.getConnections((err, n) => (err ? reject(err) : resolve(n))));

/** A temp directory removed after the file's tests. */
export function scratchDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `modelgate-${prefix}-`));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// --- An upstream scripted request by request ---------------------------------------------------------------

/** Answers one upstream request however the test likes, including wrongly. */
export type Script = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

export interface ScriptedUpstream {
  /** `origin/v1`, for a provider's `baseUrl`. */
  baseUrl: string;
  server: http.Server;
  /** The next requests are answered by these, in order; then the default. */
  enqueue(...scripts: Script[]): void;
  setDefault(script: Script): void;
  /** Requests whose connection closed before their answer was complete (the gateway cancelled them). */
  readonly abandoned: number;
  close(): Promise<void>;
}

/** Idle keep-alive sockets are closed after this, so that a test can wait for the gateway to hold none. */
const UPSTREAM_KEEP_ALIVE_MS = 200;

export async function startScriptedUpstream(): Promise<ScriptedUpstream> {
  const queue: Script[] = [];
  let fallback: Script = openAIAnswer('ok');
  let abandoned = 0;
  const server = http.createServer({ keepAliveTimeout: UPSTREAM_KEEP_ALIVE_MS }, (req, res) => {
    res.once('close', () => {
      if (!res.writableFinished) abandoned++;
    });
    req.resume();
    req.once('end', () => void Promise.resolve((queue.shift() ?? fallback)(req, res)).catch(() => res.destroy()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: `${origin}/v1`,
    server,
    enqueue: (...scripts) => void queue.push(...scripts),
    setDefault: (script) => void (fallback = script),
    get abandoned() {
      return abandoned;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const COMPLETION = (content: string) => ({
  id: 'chatcmpl-raw',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
});

/** A well-formed OpenAI chat completion. */
export const openAIAnswer =
  (content: string): Script =>
  (_req, res) => {
    const body = JSON.stringify(COMPLETION(content));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

/** Status 200 with these exact bytes as a JSON answer. */
export const rawAnswer =
  (body: string | Buffer, contentType = 'application/json'): Script =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

/** One OpenAI stream chunk event carrying `content`. */
export const chunkEvent = (content: string) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-raw', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;

/**
 * An SSE answer written piece by piece (`pauseMs` apart); `end` says how it stops: `end` (the response ends
 * normally), `destroy` (the connection is dropped), or `hang` (nothing more is sent).
 */
export const sseAnswer =
  (pieces: string[], end: 'end' | 'destroy' | 'hang' = 'end', pauseMs = 0): Script =>
  async (req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const piece of pieces) {
      if (res.destroyed) return;
      res.write(piece);
      if (pauseMs) await sleep(pauseMs);
    }
    if (end === 'destroy') {
      await sleep(20); // let the last piece leave first: destroy() drops unflushed writes
      req.socket.destroy();
    } else if (end === 'end') res.end();
  };

// --- The bundled gateway as child processes --------------------------------------------------------------

/** The fixture's config for a child gateway: `info` logs (for the `listening` line), usage lines to `usagePath`. */
export function processIR(oai: MockUpstream, ant: MockUpstream, usagePath: string): IR {
  const ir = gatewayIR(oai, ant);
  ir.gateway.logging = { level: 'info', usage: { enabled: true, path: usagePath, includePrompts: false } };
  return ir;
}

/** A gateway process started from the bundled gateway.mjs. */
export interface GatewayProcess {
  url: string;
  child: ChildProcess;
  /** The operational log lines written to stderr so far, parsed. */
  logLines(): Record<string, unknown>[];
  /** heapUsed after a full GC (started with `heapProbe`). */
  heapUsed(): Promise<number>;
  /** Resolves with the exit code or signal when the process has ended. */
  readonly exited: Promise<number | string>;
}

/** Answers `heap` over the IPC channel with heapUsed after a full collection (needs --expose-gc). */
const HEAP_PROBE = `data:text/javascript,process.on('message',()=>{globalThis.gc();process.send(process.memoryUsage().heapUsed)})`;
const START_TIMEOUT_MS = 15_000;

/**
 * Child gateways for one test file: `start` writes the config and runs gateway.mjs (bundled once per file),
 * `launch` runs another command line that starts one (a container's); every process started is SIGKILLed in afterAll, and on the test process's exit if it dies first.
 */
export function useGatewayProcesses(prefix: string) {
  const dir = scratchDir(prefix);
  const running = new Set<ChildProcess>();
  const killAll = () => {
    for (const child of running) child.kill('SIGKILL');
  };
  process.once('exit', killAll);
  afterAll(async () => {
    const exits = [...running].map(
      (child) =>
        new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(0) : child.once('exit', resolve))),
    );
    killAll();
    await Promise.all(exits);
    process.off('exit', killAll);
  });
  let entry: Promise<string> | undefined;
  const bundled = () =>
    (entry ??= bundleGateway().then((text) => {
      const file = path.join(dir, 'gateway.mjs');
      fs.writeFileSync(file, text);
      return file;
    }));
  let seq = 0;

  /** Runs a gateway's command line (`[command, ...args]`, which must pick a free port) until it listens. */
  const launch = async ([command, ...args]: string[], o: { env?: Record<string, string>; ipc?: boolean } = {}): Promise<GatewayProcess> => {
    const child = spawn(command!, args, {
      env: { PATH: process.env.PATH, ...UPSTREAM_KEYS, ...o.env },
      stdio: ['ignore', 'ignore', 'pipe', ...(o.ipc ? ['ipc' as const] : [])],
    });
    running.add(child);
    const exited = new Promise<number | string>((resolve) =>
      child.once('exit', (code, signal) => (running.delete(child), resolve(code ?? signal!))),
    );
    const lines: Record<string, unknown>[] = [];
    let partial = '';
    child.stderr!.setEncoding('utf8').on('data', (text: string) => {
      const parts = (partial + text).split('\n');
      partial = parts.pop()!;
      for (const line of parts) lines.push(parseLogLine(line));
    });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`gateway did not start in ${START_TIMEOUT_MS} ms: ${JSON.stringify(lines)}`)),
        START_TIMEOUT_MS,
      );
      const poll = setInterval(() => {
        const listening = lines.find((l) => l.msg === 'listening');
        if (listening) done(() => resolve(String(listening.url)));
      }, 10);
      const done = (settle: () => void) => {
        clearTimeout(timer);
        clearInterval(poll);
        settle();
      };
      void exited.then((how) =>
        done(() => reject(new Error(`gateway exited (${how}) before listening: ${JSON.stringify(lines)} ${partial}`))),
      );
    });
    return {
      url,
      child,
      logLines: () => lines,
      heapUsed: () =>
        new Promise<number>((resolve) => {
          child.once('message', (n) => resolve(Number(n)));
          child.send('heap');
        }),
      exited,
    };
  };

  /** Starts a gateway on `--config config` (a file or a directory the caller wrote), on a free port. */
  const run = async (config: string, o: { env?: Record<string, string>; heapProbe?: boolean } = {}): Promise<GatewayProcess> => {
    const nodeArgs = o.heapProbe ? ['--expose-gc', '--import', HEAP_PROBE] : [];
    return launch([process.execPath, ...nodeArgs, await bundled(), '--config', config, '--port', '0'], { env: o.env, ipc: o.heapProbe });
  };

  return {
    dir,
    launch,
    run,
    /** Writes `ir` as `<name>.json` (or to `configPath`) and starts a gateway on it, on a free port. */
    start(ir: IR, o: { env?: Record<string, string>; configPath?: string; heapProbe?: boolean } = {}): Promise<GatewayProcess> {
      const configPath = o.configPath ?? path.join(dir, `config-${++seq}.json`);
      fs.writeFileSync(configPath, JSON.stringify(ir));
      return run(configPath, o);
    },
  };
}

function parseLogLine(line: string): Record<string, unknown> {
  try {
    return JSON.parse(line);
  } catch {
    return { msg: line };
  }
}
