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
  readonly response: Promise<http.IncomingMessage>;

  constructor(
    call: UpstreamCall,
    agent: http.Agent,
    timeoutMs: number,
    private readonly scope: CancelScope,
  ) {
    const transport = call.endpoint.protocol === 'https:' ? https : http;
    this.req = transport.request({ ...call.endpoint, method: 'POST', headers: call.headers, agent });
    this.setTimer(timeoutMs);
    this.response = new Promise((resolve, reject) => {
      this.req.once('response', resolve);
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

  /** The whole response body as text. */
  readBody(res: http.IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.once('error', (err) => reject(this.failure(err)));
      res.once('close', () => {
        if (!res.complete) reject(this.failure(new Error('closed')));
      });
    });
  }

  /** Reads an error response into a status failure. */
  async statusFailure(res: http.IncomingMessage): Promise<UpstreamFailure> {
    const body = await this.readBody(res);
    this.done();
    const retryAfter = res.headers['retry-after'];
    return new UpstreamFailure('status', res.statusCode ?? 0, body, typeof retryAfter === 'string' ? retryAfter : undefined);
  }
}
