// One response on a connection, from the bytes as they arrive: the head (informational 1xx answers skipped), then
// the body by Content-Length, chunks (extensions and trailers checked and dropped) or the connection's close. Body
// bytes are handed on as views of the socket's own buffers: a small answer that arrives in one read is one Buffer.
import { FIELD, TOKEN } from './chars.ts';
import { HttpParseError, ResponseHead } from './response-head.ts';

/** A head larger than this (status line, headers, or a chunked body's trailers) is refused. */
export const MAX_HEAD_BYTES = 64 * 1024;

export interface ResponseSink {
  head(head: ResponseHead): void;
  /** False pauses the parser (`paused`) until the caller feeds it the rest. */
  body(chunk: Buffer): boolean;
}

enum State {
  Head,
  Length,
  Close,
  Size,
  Extension,
  SizeLf,
  Data,
  DataCr,
  DataLf,
  TrailerStart,
  TrailerName,
  TrailerValue,
  TrailerLf,
  EndLf,
  // Last: `execute` stops at these.
  Done,
  Stopped,
}

const CRLFCRLF = Buffer.from('\r\n\r\n');
const EMPTY = Buffer.alloc(0);

export class ResponseParser {
  private state = State.Done;
  /** The bytes of a head that has not all arrived yet, and their last three. */
  private parts: Buffer[] = [];
  private partsLength = 0;
  private tail = EMPTY;
  /** Body bytes still due (Content-Length or the current chunk), or a chunk size's digits so far. */
  private remaining = 0;
  private digits = 0;
  /** Bytes of the chunk extensions or trailers seen, against `MAX_HEAD_BYTES`. */
  private extra = 0;
  private noBody = false;
  /** The sink asked for a pause: `execute` stopped after the bytes it reported. */
  paused = false;
  head: ResponseHead | undefined;

  constructor(private readonly sink: ResponseSink) {}

  /** Starts on the response to a new request; `noBody`: a HEAD request, whose answer has none. */
  start(noBody: boolean): void {
    this.state = State.Head;
    this.noBody = noBody;
    this.clearParts();
    this.head = undefined;
    this.paused = false;
  }

  /** Stops reading for good (the exchange was given up): `execute` reads nothing more. */
  stop(): void {
    this.state = State.Stopped;
  }

  get done(): boolean {
    return this.state === State.Done;
  }

  /** Whether the body runs to the connection's close (then the close completes it). */
  get closeDelimited(): boolean {
    return this.state === State.Close;
  }

  /**
   * Reads `chunk` from `from`; returns where it stopped: the chunk's end, the end of the response (`done`), or where
   * the sink paused it (`paused`; the caller feeds the rest again). Throws `HttpParseError` on a malformed response.
   */
  execute(chunk: Buffer, from = 0): number {
    this.paused = false;
    let i = from;
    const n = chunk.length;
    while (i < n) {
      switch (this.state) {
        case State.Head:
          i = this.readHead(chunk, i);
          break;
        case State.Length: {
          const take = Math.min(this.remaining, n - i);
          this.remaining -= take;
          const more = this.sink.body(chunk.subarray(i, (i += take)));
          if (this.remaining === 0) this.end();
          else if (!more) this.paused = true;
          break;
        }
        case State.Close:
          if (!this.sink.body(i === 0 ? chunk : chunk.subarray(i))) this.paused = true;
          i = n;
          break;
        case State.Data: {
          const take = Math.min(this.remaining, n - i);
          this.remaining -= take;
          if (this.remaining === 0) this.state = State.DataCr;
          if (!this.sink.body(chunk.subarray(i, (i += take)))) this.paused = true;
          break;
        }
        case State.Done:
        case State.Stopped:
          return i;
        default:
          this.chunkFraming(chunk[i++]!);
      }
      if (this.paused || this.state >= State.Done) return i;
    }
    return i;
  }

  /** The bytes of chunk framing and trailers, one at a time (a few per chunk). */
  private chunkFraming(c: number): void {
    switch (this.state) {
      case State.Size: {
        const d = hexDigit(c);
        if (d >= 0) {
          // Sixteen hex digits would pass the safe integers; no real chunk comes near.
          if (++this.digits > 12) throw new HttpParseError('chunk size too large');
          this.remaining = this.remaining * 16 + d;
        } else if (this.digits === 0) throw new HttpParseError('invalid chunk size');
        else if (c === 0x3b) this.state = State.Extension;
        else if (c === 0x0d) this.state = State.SizeLf;
        else throw new HttpParseError('invalid chunk size');
        return;
      }
      case State.Extension:
        if (c === 0x0d) this.state = State.SizeLf;
        else if (!FIELD[c] || ++this.extra > MAX_HEAD_BYTES) throw new HttpParseError('invalid chunk extension');
        return;
      case State.SizeLf:
        expect(c, 0x0a);
        this.state = this.remaining === 0 ? State.TrailerStart : State.Data;
        return;
      case State.DataCr:
        expect(c, 0x0d);
        this.state = State.DataLf;
        return;
      case State.DataLf:
        expect(c, 0x0a);
        this.state = State.Size;
        this.digits = 0;
        return;
      case State.TrailerStart:
        if (c === 0x0d) this.state = State.EndLf;
        else if (TOKEN[c]) this.state = State.TrailerName;
        else throw new HttpParseError('malformed trailer');
        break;
      case State.TrailerName:
        if (c === 0x3a) this.state = State.TrailerValue;
        else if (!TOKEN[c]) throw new HttpParseError('malformed trailer');
        break;
      case State.TrailerValue:
        if (c === 0x0d) this.state = State.TrailerLf;
        else if (!FIELD[c]) throw new HttpParseError('malformed trailer');
        break;
      case State.TrailerLf:
        expect(c, 0x0a);
        this.state = State.TrailerStart;
        break;
      case State.EndLf:
        expect(c, 0x0a);
        this.end();
        return;
    }
    if (++this.extra > MAX_HEAD_BYTES) throw new HttpParseError('trailers too large');
  }

  /** The connection closed: true when that completes the response (a body without length), else it was cut. */
  finish(): boolean {
    if (this.state !== State.Close) return false;
    this.end();
    return true;
  }

  private readHead(chunk: Buffer, from: number): number {
    let head: ResponseHead;
    let next: number;
    if (this.parts.length === 0) {
      const end = chunk.indexOf(CRLFCRLF, from);
      if (end < 0) return this.keepPart(chunk, from);
      next = end + 4;
      if (next - from > MAX_HEAD_BYTES) throw new HttpParseError('response head too large');
      head = new ResponseHead(chunk.toString('latin1', from, end + 2));
    } else {
      // The blank line may begin in the bytes kept: look from their last three on.
      const window = Buffer.concat([this.tail, chunk.subarray(from)]);
      const end = window.indexOf(CRLFCRLF);
      if (end < 0) return this.keepPart(chunk, from);
      next = from + end + 4 - this.tail.length;
      const whole = Buffer.concat([...this.parts, chunk.subarray(from, next)]);
      this.clearParts();
      if (whole.length > MAX_HEAD_BYTES) throw new HttpParseError('response head too large');
      head = new ResponseHead(whole.toString('latin1', 0, whole.length - 2));
    }
    const status = head.status;
    if (status < 200) {
      // An interim answer (100 Continue, 103 Early Hints): the response follows. 101 would switch protocols.
      if (status === 101) throw new HttpParseError('unexpected protocol switch');
      return next;
    }
    this.head = head;
    if (this.noBody || status === 204 || status === 304) this.end();
    else if (head.chunked) {
      this.state = State.Size;
      this.remaining = 0;
      this.digits = 0;
      this.extra = 0;
    } else if (head.contentLength >= 0) {
      this.remaining = head.contentLength;
      this.state = head.contentLength === 0 ? State.Done : State.Length;
    } else this.state = State.Close;
    this.sink.head(head);
    return next;
  }

  /** Keeps the start of a head; returns the chunk's end. */
  private keepPart(chunk: Buffer, from: number): number {
    const part = chunk.subarray(from);
    this.parts.push(part);
    this.partsLength += part.length;
    if (this.partsLength > MAX_HEAD_BYTES) throw new HttpParseError('response head too large');
    this.tail = Buffer.concat([this.tail, part.subarray(-3)]).subarray(-3);
    return chunk.length;
  }

  private clearParts(): void {
    this.parts = [];
    this.partsLength = 0;
    this.tail = EMPTY;
  }

  private end(): void {
    this.state = State.Done;
  }
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x61 + 10 : -1;
}

function expect(c: number, wanted: number): void {
  if (c !== wanted) throw new HttpParseError('malformed chunk framing');
}
