// One HTTP exchange with a provider over undici's HTTP/1.1 client: its timer, its cancellation, the response
// size limit, and what a failure was. undici's dispatch handler is used directly (no streams, no response
// object): a small JSON answer arrives whole in one socket read and is handed over as one Buffer.
import type { Dispatcher } from 'undici';
import Client from 'undici/lib/dispatcher/client.js';
import type { Endpoint, UpstreamCall } from './providers/adapter.ts';
import { UpstreamFailure } from './providers/upstream-errors.ts';

/** The client side of a request: when the client goes away, the upstream exchange in flight is aborted. */
export class CancelScope {
  cancelled = false;
  private current: UpstreamExchange | undefined;

  attach(exchange: UpstreamExchange): void {
    this.current = exchange;
    if (this.cancelled) exchange.cancel();
  }

  cancel(): void {
    this.cancelled = true;
    this.current?.cancel();
  }
}

/**
 * Keep-alive connections to one upstream origin: an undici Client per connection, one exchange at a time on
 * each, the most recently used first (few connections stay warm). An exchange given up mid-way destroys its
 * Client rather than using undici's abort, after which undici would open a connection for nothing
 * (nodejs/undici#5845).
 */
export class OriginPool {
  private readonly idle: Client[] = [];

  constructor(private readonly origin: string) {}

  acquire(): Client {
    return this.idle.pop() ?? this.create();
  }

  release(client: Client): void {
    this.idle.push(client);
  }

  async destroy(): Promise<void> {
    await Promise.all(this.idle.splice(0).map((c) => c.destroy().catch(() => {})));
  }

  private create(): Client {
    const client = new Client(this.origin, {
      // Idle connections close on the server's Keep-Alive hint, or after 30 s without one.
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 30_000,
      // The exchange's own timer bounds the whole call; undici's per-phase timers would only add work.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    // An idle client whose connection closed is dropped, so that the pool shrinks back after a burst.
    client.on('disconnect', () => {
      const i = this.idle.indexOf(client);
      if (i >= 0)
        void this.idle
          .splice(i, 1)[0]
          .close()
          .catch(() => {});
    });
    return client;
  }
}

/** One pool per upstream origin, kept across config reloads. */
export class OriginPools {
  private readonly pools = new Map<string, OriginPool>();

  for(e: Endpoint): OriginPool {
    const origin = `${e.protocol}//${e.hostname}:${e.port}`;
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new OriginPool(origin);
      this.pools.set(origin, pool);
    }
    return pool;
  }

  async destroy(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.destroy()));
  }
}

/** Where the body of a streamed response goes, chunk by chunk. */
export interface BodySink {
  /** False asks for a pause until `UpstreamExchange.resume`. */
  data(chunk: Buffer): boolean;
  end(): void;
  error(failure: UpstreamFailure): void;
}

/**
 * An upstream call from request to last byte. The timer covers the whole exchange until `setTimer` moves it.
 * Body bytes that arrive before the caller asks for them (`readBody` or `relay`) are kept.
 */
export class UpstreamExchange implements Dispatcher.DispatchHandlers {
  private timer: NodeJS.Timeout | undefined;
  private timedOut = false;
  private received = 0;
  /** The connection's client, until the exchange is over. */
  private readonly client: Client;
  /** Set once the outcome is known (complete, failed or given up); later callbacks are ignored. */
  private settled = false;
  private gotHeaders = false;
  private rawHeaders: Buffer[] = [];
  private resumeSocket: (() => void) | undefined;
  private chunks: Buffer[] = [];
  private complete = false;
  private error: UpstreamFailure | undefined;
  private sink: BodySink | undefined;
  private headersReady!: { resolve: (status: number) => void; reject: (f: UpstreamFailure) => void };
  /** The response status, once its headers are in and its declared length (if any) is within the limit. */
  readonly status: Promise<number>;

  constructor(
    call: UpstreamCall,
    private readonly pool: OriginPool,
    timeoutMs: number,
    private readonly scope: CancelScope,
    /** Response bodies longer than this fail as `oversize` (the gateway's `limits.maxResponseBytes`). */
    private readonly maxBytes: number,
  ) {
    this.status = new Promise((resolve, reject) => {
      this.headersReady = { resolve, reject };
    });
    this.setTimer(timeoutMs);
    this.client = pool.acquire();
    this.client.dispatch(
      { path: call.endpoint.path, method: call.method ?? 'POST', headers: call.headers, body: call.body === '' ? null : call.body },
      this,
    );
    scope.attach(this);
  }

  /** Restarts the timer with `ms` from now; none once the exchange is over (its body may still be handed out). */
  setTimer(ms: number): void {
    clearTimeout(this.timer);
    if (this.settled) return;
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.fail(new UpstreamFailure('timeout'));
    }, ms);
  }

  done(): void {
    clearTimeout(this.timer);
  }

  /** The client went away. */
  cancel(): void {
    this.fail(new UpstreamFailure('cancelled'));
  }

  /** The caller gives up on the response (it failed on its own terms): the connection is closed, nothing is reported. */
  abort(): void {
    if (this.settled) return;
    this.settled = true;
    this.done();
    this.closeConnection();
  }

  /** Classifies an error of the request or its response. */
  failure(err: unknown): UpstreamFailure {
    this.done();
    if (err instanceof UpstreamFailure) return err;
    return new UpstreamFailure(this.scope.cancelled ? 'cancelled' : this.timedOut ? 'timeout' : 'reset');
  }

  /** The whole response body when it has all arrived, else undefined (then see `readBody`). */
  wholeBody(): Buffer | undefined {
    return this.complete ? this.body() : undefined;
  }

  /** The whole response body, or the failure that ended it (`oversize` as soon as it is over the limit). */
  readBody(): Promise<Buffer> {
    if (this.complete) return Promise.resolve(this.body());
    if (this.error) return Promise.reject(this.error);
    return new Promise((resolve, reject) => {
      this.sink = {
        data: (chunk) => (this.chunks.push(chunk), true),
        end: () => resolve(this.body()),
        error: reject,
      };
    });
  }

  /** Hands the body to `sink` as it comes, starting with what already arrived. */
  relay(sink: BodySink): void {
    for (const chunk of this.chunks) sink.data(chunk);
    this.chunks = [];
    if (this.complete) return sink.end();
    if (this.error) return sink.error(this.error);
    this.sink = sink;
  }

  /** Resumes reading after a sink asked for a pause. */
  resume(): void {
    this.resumeSocket?.();
  }

  /** A response header (the first value), once the status is known. */
  responseHeader(name: string): string | undefined {
    return header(this.rawHeaders, name);
  }

  /** Reads an error response into a status failure. */
  async statusFailure(status: number): Promise<UpstreamFailure> {
    const body = (await this.readBody()).toString('utf8');
    return new UpstreamFailure('status', status, body, header(this.rawHeaders, 'retry-after'));
  }

  // undici's dispatch handler.

  onConnect(): void {}

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (this.settled || statusCode < 200) return true;
    if (Number(header(rawHeaders, 'content-length')) > this.maxBytes) {
      this.fail(new UpstreamFailure('oversize'));
      return false;
    }
    this.gotHeaders = true;
    this.rawHeaders = rawHeaders;
    this.resumeSocket = resume;
    this.headersReady.resolve(statusCode);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.settled) return false;
    this.received += chunk.length;
    if (this.received > this.maxBytes) {
      this.fail(new UpstreamFailure('oversize'));
      return false;
    }
    if (this.sink) return this.sink.data(chunk);
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    if (this.settled) return;
    this.settled = true;
    this.done();
    this.pool.release(this.client);
    this.complete = true;
    this.sink?.end();
  }

  onError(err: Error): void {
    if (this.settled) return;
    this.settled = true;
    // The connection failed (undici connects again for the next exchange).
    this.pool.release(this.client);
    this.report(this.failure(err));
  }

  /** Ends the exchange with `failure`, reported to whoever waits, and closes its connection. */
  private fail(failure: UpstreamFailure): void {
    if (this.settled) return;
    this.abort();
    this.report(failure);
  }

  /** Ends the request wherever it is (waiting for a connection, or mid-response); the connection is not reused. */
  private closeConnection(): void {
    // undici calls `onError` back, which `settled` ignores.
    void this.client.destroy(new Error('upstream exchange given up')).catch(() => {});
  }

  private report(failure: UpstreamFailure): void {
    if (!this.gotHeaders) return this.headersReady.reject(failure);
    this.error = failure;
    this.sink?.error(failure);
  }

  private body(): Buffer {
    const chunks = this.chunks;
    this.chunks = [];
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, this.received);
  }
}

/** The first value of a header in undici's raw list (name, value, ...). */
function header(raw: Buffer[], name: string): string | undefined {
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].length === name.length && raw[i].toString('latin1').toLowerCase() === name) return raw[i + 1].toString('latin1');
  }
  return undefined;
}
