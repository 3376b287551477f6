// One HTTP exchange with a provider over a keep-alive agent: its timer, its cancellation, and what a failure was.
import http from 'node:http';
import https from 'node:https';
import type { Endpoint, UpstreamCall } from './providers/adapter.ts';
import { UpstreamFailure } from './providers/upstream-errors.ts';

/** The client side of a request: when the client goes away, the upstream call in flight is destroyed. */
export class CancelScope {
  cancelled = false;
  private current: http.ClientRequest | undefined;

  attach(req: http.ClientRequest): void {
    this.current = req;
    if (this.cancelled) req.destroy();
  }

  cancel(): void {
    this.cancelled = true;
    this.current?.destroy();
  }
}

/** One keep-alive agent per upstream origin, kept across config reloads. */
export class AgentPool {
  private readonly agents = new Map<string, http.Agent>();

  for(e: Endpoint): http.Agent {
    const key = `${e.protocol}//${e.hostname}:${e.port}`;
    let agent = this.agents.get(key);
    if (!agent) {
      // LIFO reuse keeps few sockets warm; idle ones close on the server's Keep-Alive hint or after 30 s.
      const options: http.AgentOptions = { keepAlive: true, scheduling: 'lifo', maxFreeSockets: 256, timeout: 30_000 };
      agent = e.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
      this.agents.set(key, agent);
    }
    return agent;
  }

  destroy(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}

/** An upstream call from request to last byte. The timer covers the whole exchange until `setTimer` moves it. */
export class UpstreamExchange {
  private readonly req: http.ClientRequest;
  private timer: NodeJS.Timeout | undefined;
  private timedOut = false;
  private received = 0;
  /** The response, once its headers are in and its declared length (if any) is within the limit. */
  readonly response: Promise<http.IncomingMessage>;

  constructor(
    call: UpstreamCall,
    agent: http.Agent,
    timeoutMs: number,
    private readonly scope: CancelScope,
    /** Response bodies longer than this fail as `oversize` (the gateway's `limits.maxResponseBytes`). */
    private readonly maxBytes: number,
  ) {
    const { protocol, hostname, port, path } = call.endpoint;
    const transport = protocol === 'https:' ? https : http;
    this.req = transport.request({ protocol, hostname, port, path, method: 'POST', headers: call.headers, agent });
    this.setTimer(timeoutMs);
    this.response = new Promise((resolve, reject) => {
      this.req.once('response', (res: http.IncomingMessage) => {
        if (!(Number(res.headers['content-length']) > maxBytes)) return resolve(res);
        res.destroy();
        reject(this.oversize());
      });
      this.req.on('error', (err) => reject(this.failure(err)));
    });
    scope.attach(this.req);
    this.req.end(call.body);
  }

  /** Restarts the timer with `ms` from now. */
  setTimer(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.req.destroy();
    }, ms);
  }

  done(): void {
    clearTimeout(this.timer);
  }

  /** Classifies an error of the request or its response. */
  failure(err: unknown): UpstreamFailure {
    this.done();
    if (err instanceof UpstreamFailure) return err;
    return new UpstreamFailure(this.scope.cancelled ? 'cancelled' : this.timedOut ? 'timeout' : 'reset');
  }

  /** Counts a chunk of the response body: true once the body is over the limit. */
  exceeds(chunk: Buffer): boolean {
    this.received += chunk.length;
    return this.received > this.maxBytes;
  }

  oversize(): UpstreamFailure {
    return this.failure(new UpstreamFailure('oversize'));
  }

  /** The whole response body, or an `oversize` failure as soon as it is over the limit (the response destroyed). */
  readBody(res: http.IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => {
        if (!this.exceeds(chunk)) return void chunks.push(chunk);
        res.destroy();
        reject(this.oversize());
      });
      res.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, this.received)));
      res.once('error', (err) => reject(this.failure(err)));
      res.once('close', () => {
        if (!res.complete) reject(this.failure(new Error('closed')));
      });
    });
  }

  /** Reads an error response into a status failure. */
  async statusFailure(res: http.IncomingMessage): Promise<UpstreamFailure> {
    const body = (await this.readBody(res)).toString('utf8');
    this.done();
    const retryAfter = res.headers['retry-after'];
    return new UpstreamFailure('status', res.statusCode ?? 0, body, typeof retryAfter === 'string' ? retryAfter : undefined);
  }
}
