// One HTTP/1.1 connection to an origin over `node:net` or `node:tls`: one exchange at a time, its request written in
// one go (one writev, once the event loop turn's I/O is read), its response parsed as it arrives. Whether it may carry another request afterwards
// (`reusable`, `keepAliveMs`) is the response's to say. Any failure destroys the socket: a connection is never
// reused after an error, a cut, a refused response or an exchange given up.
import net from 'node:net';
import tls from 'node:tls';
import type { ResponseHead } from './response-head.ts';
import { ResponseParser, type ResponseSink } from './response-parser.ts';

/** Idle connections close after this without a `Keep-Alive: timeout=` hint, and never later. */
export const IDLE_MS = 30_000;
/** Taken off a server's hint: a connection it is about to close must not be given a request meanwhile. */
const HINT_MARGIN_MS = 2_000;

/**
 * Requests made in this turn of the event loop, written together after its I/O (in `setImmediate`), as undici does.
 * Written one by one as they are made, each wakes the upstream's process on its own (on loopback the kernel's
 * wake-up is charged to the writer): at 50 connections that cost the gateway 10-20 µs of CPU per request.
 */
const unsent: Connection[] = [];

function writeUnsent(): void {
  for (const c of unsent.splice(0)) c.write();
}

export interface Origin {
  tls: boolean;
  hostname: string;
  port: number;
}

/** The exchange a connection is serving. Once `onEnd` or `onError` is called, the connection calls it no more. */
export interface ExchangeHandler {
  onHead(head: ResponseHead): void;
  /** False pauses reading until `Connection.resume`. */
  onBody(chunk: Buffer): boolean;
  onEnd(): void;
  onError(err: Error): void;
}

export class Connection implements ResponseSink {
  private readonly socket: net.Socket;
  private readonly parser = new ResponseParser(this);
  private handler: ExchangeHandler | undefined;
  /** Bytes read but not parsed while the handler asked for a pause. */
  private backlog: Buffer | undefined;
  /** The server ended its side: the response in progress is its last. */
  private ended = false;
  /** The last response left the connection open: it may carry the next request, for this long idle. */
  reusable = false;
  keepAliveMs = IDLE_MS;
  /** When an idle connection stops being offered (ms since the epoch), set by its pool. */
  idleUntil = 0;
  /** The request `send` was given, until it is written. */
  private request: { head: string; body: string | Buffer } | undefined;

  constructor(
    origin: Origin,
    /** Called once, when the socket has closed (the pool forgets it). */
    private readonly closed: (c: Connection) => void,
  ) {
    const { hostname, port } = origin;
    // SNI names a host, never an address (RFC 6066 §3).
    this.socket = origin.tls
      ? tls.connect({ host: hostname, port, servername: net.isIP(hostname) ? undefined : hostname, ALPNProtocols: ['http/1.1'] })
      : net.connect({ host: hostname, port });
    this.socket.setNoDelay(true);
    this.socket.setKeepAlive(true, 60_000);
    this.socket.on('data', (chunk: Buffer) => this.receive(chunk));
    this.socket.on('end', () => {
      this.ended = true;
      // Bytes still waiting for a resume come first: the close is read after them.
      if (!this.backlog) this.eof();
    });
    this.socket.on('error', (err) => this.fail(err));
    this.socket.on('close', () => {
      this.fail(new Error('connection closed'));
      this.closed(this);
    });
  }

  /** Writes a request (`head` from `requestHead`, then `body`) and reads its response into `handler`. */
  send(head: string, body: string | Buffer, noBody: boolean, handler: ExchangeHandler): void {
    this.handler = handler;
    this.reusable = false;
    this.parser.start(noBody);
    this.request = { head, body };
    if (unsent.length === 0) setImmediate(writeUnsent);
    unsent.push(this);
  }

  /** Writes the request `send` was given, unless the exchange was given up meanwhile. */
  write(): void {
    const request = this.request;
    this.request = undefined;
    if (!request || !this.handler) return;
    this.socket.cork();
    this.socket.write(request.head, 'latin1');
    if (request.body.length > 0) this.socket.write(request.body);
    this.socket.uncork();
  }

  /** Reads on after a handler's pause. */
  resume(): void {
    const backlog = this.backlog;
    this.backlog = undefined;
    this.socket.resume();
    if (backlog) this.receive(backlog);
    if (!this.backlog && this.ended && this.handler) this.eof();
  }

  /** Closes the connection; its exchange, if any, is told nothing. */
  destroy(): void {
    this.handler = undefined;
    this.request = undefined;
    this.parser.stop();
    this.socket.destroy();
  }

  // The parser's sink: the current exchange's.

  head(head: ResponseHead): void {
    this.handler!.onHead(head);
  }

  body(chunk: Buffer): boolean {
    return this.handler!.onBody(chunk);
  }

  private receive(chunk: Buffer): void {
    // Bytes nobody asked for (on an idle connection) mean the connection is out of step: it is not reused.
    if (!this.handler) {
      this.socket.destroy();
      return;
    }
    try {
      const used = this.parser.execute(chunk);
      if (!this.handler) return;
      if (this.parser.paused) {
        if (used < chunk.length) this.backlog = chunk.subarray(used);
        this.socket.pause();
      } else if (this.parser.done) {
        if (used < chunk.length) return this.fail(new Error('bytes after the response'));
        this.complete();
      }
    } catch (err) {
      this.fail(err as Error);
    }
  }

  private eof(): void {
    if (this.handler && this.parser.finish()) this.complete();
    else this.fail(new Error('connection closed'));
  }

  private complete(): void {
    const handler = this.handler!;
    const head = this.parser.head!;
    this.handler = undefined;
    this.reusable = head.keepAlive && !this.ended && !this.socket.destroyed;
    if (head.keepAliveHintMs >= 0) {
      this.keepAliveMs = Math.min(head.keepAliveHintMs - HINT_MARGIN_MS, IDLE_MS);
      if (this.keepAliveMs <= 0) this.reusable = false;
    } else this.keepAliveMs = IDLE_MS;
    handler.onEnd();
  }

  /** Ends the exchange in flight, if any, with `err`, and closes the connection. */
  private fail(err: Error): void {
    const handler = this.handler;
    this.destroy();
    handler?.onError(err);
  }
}
