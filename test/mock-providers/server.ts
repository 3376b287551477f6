// The part every mock upstream shares: an HTTP server on 127.0.0.1, a queue of scripted behaviours, a record of
// what it received, and the failure modes (delay, reset) that do not depend on the wire format.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the mock does for one request. Unset fields take the mock's defaults. */
export interface MockBehaviour {
  /** Assistant text; a function sees the parsed request body. */
  reply?: string | ((body: any) => string);
  /**
   * The JSON value the model writes when asked for structured output: OpenAI's message content under
   * `response_format: json_schema`, the input of the tool Anthropic's `tool_choice: {type: tool}` (Bedrock's
   * `toolChoice: {tool}`) forces, Gemini's text under `responseJsonSchema`.
   */
  structured?: unknown;
  /** Answer with a tool call instead of text. */
  toolCall?: { id?: string; name: string; arguments: Record<string, unknown> };
  /** Token counts reported in the response's usage, each in the provider's own fields and as the provider counts them
   *  (`input` includes cached tokens at OpenAI and Gemini, excludes them at Anthropic and Bedrock). */
  usage?: { input: number; output: number; cacheRead?: number; cacheWrite?: number };
  /** Answer with this error status and a provider-shaped error body. */
  status?: number;
  errorMessage?: string;
  /** Sent as `retry-after` (seconds) with an error status. */
  retryAfterSeconds?: number;
  /** Wait this long before sending the response headers. */
  delayMs?: number;
  /** Wait this long between streamed events. */
  chunkDelayMs?: number;
  /** Destroy the connection: before any response byte, or after the first streamed event. */
  reset?: 'before-headers' | 'mid-stream';
  /** After the first streamed event, send the provider's in-stream error for this status (with `errorMessage`) and end. */
  streamError?: number;
}

export interface RecordedRequest {
  method: string;
  /** Path and query string as received. */
  path: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  /** Parsed JSON body, or undefined when it was not JSON. */
  body: any;
}

export interface MockUpstream {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** The base URL a client or gateway is configured with (`origin` + the API's prefix, e.g. `/v1`). */
  baseUrl: string;
  /** The most recent requests received (at most 1000; off when `record: false`). */
  readonly requests: RecordedRequest[];
  /** Script the next requests: each queued behaviour answers one request, then defaults apply again. */
  enqueue(...behaviours: MockBehaviour[]): void;
  /** Behaviour when the queue is empty. */
  setDefault(behaviour: MockBehaviour): void;
  /** Empties the queue and the recorded requests and restores the initial defaults. */
  reset(): void;
  close(): Promise<void>;
}

export interface MockOptions {
  /** When set, requests must carry this credential (in the provider's header) or are refused as the provider does (401 at
   *  OpenAI and Anthropic). */
  apiKey?: string;
  defaults?: MockBehaviour;
  /** Record requests (default true); turn off for load tests. */
  record?: boolean;
  /** Fixed port for demos (`scripts/mock-providers.ts`); tests leave it to the system (0). */
  port?: number;
}

/** The wire-format half of a mock: answers one parsed request according to a behaviour. */
export interface WireFormat {
  /** The prefix of the API's paths, which `baseUrl` ends with (default `/v1`). */
  basePath?: string;
  /** The credential the request carries, or undefined; one other than `options.apiKey` gets 401. */
  credential?(req: RecordedRequest): string | undefined;
  /** Instead of `credential`: the provider's own check, which answers a refused request itself and returns false. */
  authorize?(req: RecordedRequest, res: http.ServerResponse): Promise<boolean> | boolean;
  sendError(res: http.ServerResponse, status: number, message: string, retryAfterSeconds?: number): void;
  /** Answers a well-formed request; `pause` waits between streamed events. */
  respond(req: RecordedRequest, res: http.ServerResponse, b: ResolvedBehaviour, pause: Pause): Promise<void>;
  /** Writes the provider's in-stream error event (after the first event of `req`'s stream) and ends the response. */
  streamError(req: RecordedRequest, res: http.ServerResponse, status: number, message: string): void;
}

export type ResolvedBehaviour = MockBehaviour & { replyText: string };
export type Pause = (afterFirstEvent: boolean) => Promise<boolean>;

const MAX_RECORDED = 1000;

export async function startMock(format: WireFormat, options: MockOptions, defaultReply: string): Promise<MockUpstream> {
  const initialDefaults = options.defaults ?? {};
  let defaults = initialDefaults;
  const queue: MockBehaviour[] = [];
  const requests: RecordedRequest[] = [];
  const record = options.record ?? true;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        rawBody,
        body: parseJson(rawBody),
      };
      if (record) {
        requests.push(recorded);
        if (requests.length > MAX_RECORDED) requests.shift();
      }
      const b = { ...defaults, ...queue.shift() };
      void answer(recorded, req, res, b).catch(() => res.destroy());
    });
  });

  async function answer(recorded: RecordedRequest, req: http.IncomingMessage, res: http.ServerResponse, b: MockBehaviour) {
    if (b.delayMs) await sleep(b.delayMs);
    if (res.destroyed) return;
    if (b.reset === 'before-headers') return void req.socket.destroy();
    if (!(await authorized(recorded, res))) return;
    if (recorded.body === undefined) return format.sendError(res, 400, 'The request body is not valid JSON.');
    if (b.status && b.status >= 400)
      return format.sendError(res, b.status, b.errorMessage ?? `mock error ${b.status}`, b.retryAfterSeconds);
    const replyText = typeof b.reply === 'function' ? b.reply(recorded.body) : (b.reply ?? defaultReply);
    const pause: Pause = async (afterFirstEvent) => {
      if (afterFirstEvent && b.reset === 'mid-stream') {
        await sleep(20); // let the first event reach the client: destroy() drops unflushed writes
        req.socket.destroy();
        return false;
      }
      if (afterFirstEvent && b.streamError) {
        format.streamError(recorded, res, b.streamError, b.errorMessage ?? `mock error ${b.streamError}`);
        return false;
      }
      if (b.chunkDelayMs) await sleep(b.chunkDelayMs);
      return !res.destroyed;
    };
    await format.respond(recorded, res, { ...b, replyText }, pause);
  }

  async function authorized(recorded: RecordedRequest, res: http.ServerResponse): Promise<boolean> {
    if (format.authorize) return format.authorize(recorded, res);
    if (options.apiKey === undefined || format.credential?.(recorded) === options.apiKey) return true;
    format.sendError(res, 401, 'Invalid API key.');
    return false;
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    baseUrl: origin + (format.basePath ?? '/v1'),
    requests,
    enqueue: (...bs) => void queue.push(...bs),
    setDefault: (b) => void (defaults = b),
    reset: () => {
      queue.length = 0;
      requests.length = 0;
      defaults = initialDefaults;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes a JSON response with a content-length (what real providers send for non-streaming calls). */
export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** The `retry-after` header (seconds) when a behaviour asks for one. */
export const retryAfter = (seconds?: number): Record<string, string> => (seconds === undefined ? {} : { 'retry-after': String(seconds) });

export function startSse(res: http.ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...headers });
}

/** One server-sent event with an event name (OpenAI Responses, Anthropic). */
export const sseEvent = (event: string, data: unknown): string => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/** Writes a stream's events with the behaviour's pauses between them, then ends it (unless a pause ended it). */
export async function writeEvents(res: http.ServerResponse, events: (string | Uint8Array)[], pause: Pause): Promise<void> {
  for (const [i, event] of events.entries()) {
    res.write(event);
    if (i < events.length - 1 && !(await pause(i === 0))) return;
  }
  res.end();
}

/** The reply under a request's output-token limit: when it needs more tokens, the first `maxTokens` (four characters
 *  each), as providers cut it off. Tool calls are never cut. */
export function limitReply(b: ResolvedBehaviour, maxTokens: unknown): { text: string; outputTokens: number; truncated: boolean } {
  const outputTokens = b.usage?.output ?? estimateTokens(b.replyText);
  if (b.toolCall || typeof maxTokens !== 'number' || outputTokens <= maxTokens)
    return { text: b.replyText, outputTokens, truncated: false };
  return { text: b.replyText.slice(0, maxTokens * 4), outputTokens: maxTokens, truncated: true };
}

/** `text` in pieces of `size` characters (streamed tool-call arguments). */
export function splitPieces(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}

/** Deterministic token counts when a behaviour gives none: about four characters per token. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
