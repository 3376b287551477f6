// Relaying servers' event streams to a client: whole events only, each event id replaced by a cursor over every
// server the stream merges (so Last-Event-ID can resume each of them), and each message shown to a hook that may
// rewrite or drop it. Backpressure: while the client's socket is full, every server feeding it is paused.
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { SseSplitter, startSse } from '../http/sse.ts';
import type { UpstreamFailure } from '../providers/upstream-errors.ts';
import type { UpstreamExchange } from '../upstream.ts';
import { readEvent, writeEvent } from './events.ts';
import { type Cursor, encodeCursor } from './ids.ts';

/** The client's event stream: headers sent with the first event, shared by the servers it merges. */
export class ClientStream {
  private paused = new Set<UpstreamExchange>();
  /** Set when the next event is the last: runs once it is counted, just before the response ends. */
  private beforeEnd: (() => void) | undefined;
  /** Last event id per server, for the ids this stream sends. */
  readonly cursor: Cursor;
  bytes = 0;
  /** An event without data held back to go out with the next one (see `holdPriming`). */
  private held = '';
  /**
   * Set for the answer to one request: a server's priming event (only an id to resume from, sent before anything
   * else) waits for the next event, so that when that is the answer both leave in one write with their length.
   * Not for GET streams, whose client waits for the headers however long the first real event takes.
   */
  holdPriming = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly headers: OutgoingHttpHeaders,
    resumedFrom: Cursor = {},
  ) {
    this.cursor = { ...resumedFrom };
    res.on('drain', () => {
      for (const ex of this.paused) ex.resume();
      this.paused.clear();
    });
  }

  /**
   * The next event is the stream's last (the answer to the request): it ends the response, written together with
   * the headers (and a held priming event) when it is the first, in one write, after `before` (the call's account, so that
   * its line is written before the client has the answer). Later events are dropped.
   */
  endAfterNext(before: () => void): void {
    this.beforeEnd = before;
  }

  /** An event without data: held while nothing was sent (see `holdPriming`), else what to write now. */
  prime(text: string): string | undefined {
    if (!this.holdPriming || this.res.headersSent) return text;
    this.held += text;
    this.bytes += Buffer.byteLength(text);
    return undefined;
  }

  /** False when the client's socket is full: `source` is resumed once it drains. */
  write(event: string, source: UpstreamExchange): boolean {
    if (this.res.writableEnded) return true;
    this.bytes += Buffer.byteLength(event);
    const text = this.held + event;
    this.held = '';
    if (!this.res.headersSent) {
      // A stream of one event (the answer, as a tool call's usually is) goes with its length rather than chunked:
      // one buffer on the socket, and a client that knows where the body ends without waiting for a last chunk.
      if (this.beforeEnd) this.headers['content-length'] = Buffer.byteLength(text);
      startSse(this.res, this.headers);
    }
    if (this.beforeEnd) {
      this.beforeEnd();
      this.res.end(text);
      return true;
    }
    if (this.res.write(text)) return true;
    this.paused.add(source);
    return false;
  }

  end(): void {
    if (this.res.writableEnded) return;
    if (!this.res.headersSent) startSse(this.res, this.headers);
    this.res.end(this.held);
    this.held = '';
  }
}

/** Sees each message of a relayed stream; returns it as it is or a rewritten copy (never mutated) to pass it on, or undefined to drop it. */
export type MessageHook = (message: Record<string, any>) => Record<string, any> | undefined;

/**
 * Relays one server's event stream into `out` until it ends; resolves with the failure that cut it, if any.
 * Comments (keep-alives) pass as they are; events whose data is not JSON are dropped.
 */
export function pipeEvents(
  ex: UpstreamExchange,
  server: string,
  out: ClientStream,
  hook: MessageHook,
): Promise<UpstreamFailure | undefined> {
  const splitter = new SseSplitter();
  const relayAll = (events: Buffer[]): boolean => {
    let more = true;
    for (const raw of events) {
      const text = relayed(raw, server, out, hook);
      if (text !== undefined) more = out.write(text, ex) && more;
    }
    return more;
  };
  return new Promise((resolve) => {
    ex.relay({
      data: (chunk) => relayAll(splitter.push(chunk)),
      end: () => {
        relayAll(splitter.end());
        resolve(undefined);
      },
      error: resolve,
    });
  });
}

function relayed(raw: Buffer, server: string, out: ClientStream, hook: MessageHook): string | undefined {
  const event = readEvent(raw);
  if (!event) return raw.toString('utf8');
  if (event.id !== undefined) {
    out.cursor[server] = event.id;
    event.id = encodeCursor(out.cursor);
  }
  if (event.data === '') return out.prime(writeEvent(event));
  let message: unknown;
  try {
    message = JSON.parse(event.data);
  } catch {
    return undefined;
  }
  if (!message || typeof message !== 'object' || Array.isArray(message)) return undefined;
  const passed = hook(message as Record<string, any>);
  if (!passed) return undefined;
  event.data = passed === message ? event.data : JSON.stringify(passed);
  return writeEvent(event);
}
