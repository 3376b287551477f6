// One HTTP exchange with a provider over the gateway's own HTTP/1.1 client (http1/): its timer, its cancellation,
// the response size limit, and what a failure was. No streams, no response object: a small JSON answer arrives
// whole in one socket read and is handed over as that one Buffer.
import type { Connection, ExchangeHandler } from './http1/connection.ts';
import { OriginPool } from './http1/pool.ts';
import { requestHead } from './http1/request.ts';
import type { ResponseHead } from './http1/response-head.ts';
import type { Endpoint, UpstreamCall } from './providers/adapter.ts';
import { UpstreamFailure } from './providers/upstream-errors.ts';

export { OriginPool };

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
export class UpstreamExchange implements ExchangeHandler {
  private timer: NodeJS.Timeout | undefined;
  private timedOut = false;
  private received = 0;
  /** The connection, while the exchange is on it. */
  private connection: Connection | undefined;
  /** Set once the outcome is known (complete, failed or given up); later callbacks are ignored. */
  private settled = false;
  private gotHeaders = false;
  private head: ResponseHead | undefined;
  private chunks: Buffer[] = [];
  private complete = false;
  private error: UpstreamFailure | undefined;
  private sink: BodySink | undefined;
  /** A `readBody` waiting for the whole body (kept in `chunks`). */
  private waiting: { resolve: (body: Buffer) => void; reject: (f: UpstreamFailure) => void } | undefined;
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
    const method = call.method ?? 'POST';
    const body = call.body;
    const length = body.length === 0 && method !== 'POST' ? -1 : typeof body === 'string' ? Buffer.byteLength(body) : body.length;
    const head = requestHead(method, call.endpoint.path, call.headers, call.endpoint.host, length);
    // A header that cannot be sent as it is fails the call before anything is written (as a connection failure would).
    if (head === undefined) {
      this.settled = true;
      this.report(new UpstreamFailure('reset'));
      return;
    }
    this.setTimer(timeoutMs);
    this.connection = pool.acquire();
    this.connection.send(head, body, false, this);
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
    // Not a sink of closures: the bundle's `keepNames` would name them anew on every call (a defineProperty each).
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
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
    if (!this.settled) this.connection?.resume();
  }

  /** A response header (the first value), once the status is known. */
  responseHeader(name: string): string | undefined {
    return this.head?.get(name);
  }

  /** Reads an error response into a status failure. */
  async statusFailure(status: number): Promise<UpstreamFailure> {
    const body = (await this.readBody()).toString('utf8');
    return new UpstreamFailure('status', status, body, this.head?.get('retry-after'));
  }

  // The connection's handler.

  onHead(head: ResponseHead): void {
    if (this.settled) return;
    if (head.contentLength > this.maxBytes) return this.fail(new UpstreamFailure('oversize'));
    this.gotHeaders = true;
    this.head = head;
    this.headersReady.resolve(head.status);
  }

  onBody(chunk: Buffer): boolean {
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

  onEnd(): void {
    if (this.settled) return;
    this.settled = true;
    this.done();
    this.pool.release(this.connection!);
    this.connection = undefined;
    this.complete = true;
    this.sink?.end();
    this.waiting?.resolve(this.body());
  }

  onError(err: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.connection = undefined;
    this.report(this.failure(err));
  }

  /** Ends the exchange with `failure`, reported to whoever waits, and closes its connection. */
  private fail(failure: UpstreamFailure): void {
    if (this.settled) return;
    this.abort();
    this.report(failure);
  }

  /** Ends the request wherever it is (connecting, or mid-response); the connection is not reused. */
  private closeConnection(): void {
    this.connection?.destroy();
    this.connection = undefined;
  }

  private report(failure: UpstreamFailure): void {
    if (!this.gotHeaders) return this.headersReady.reject(failure);
    this.error = failure;
    this.sink?.error(failure);
    this.waiting?.reject(failure);
  }

  private body(): Buffer {
    const chunks = this.chunks;
    this.chunks = [];
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, this.received);
  }
}
