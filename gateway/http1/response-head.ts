// A response's status line and header block, parsed strictly (RFC 9112 §4, §5): one latin1 string for the block and
// four offsets per header, no string per header until one is asked for. What the framing needs (the body's length or
// chunking, keep-alive and its timeout hint) is read on the way.
import { isName, TOKEN } from './chars.ts';

/** A response the client cannot read safely: the connection is closed and the exchange fails as `reset`. */
export class HttpParseError extends Error {
  override name = 'HttpParseError';
}

const STATUS_LINE = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: [^\x00-\x08\x0a-\x1f\x7f]*)?\r\n/;
/** A control character other than HTAB, or a CR or LF that is not part of a line's CRLF. */
const NOT_IN_HEAD = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)|(?<!\r)\n/;
const KEEP_ALIVE_TIMEOUT = /(?:^|[,;\s])timeout=(\d+)/i;

export class ResponseHead {
  readonly status: number;
  /** Content-Length, or -1 when the response has none. */
  readonly contentLength: number = -1;
  readonly chunked: boolean = false;
  /** The server keeps the connection open after this response (HTTP/1.1 without `close`, or 1.0 with `keep-alive`). */
  readonly keepAlive: boolean;
  /** The server's `Keep-Alive: timeout=` hint in ms, or -1. */
  readonly keepAliveHintMs: number = -1;
  /** [name start, name end, value start, value end] per header, into `text`. */
  private readonly fields: number[] = [];

  /** `text`: the status line and the header lines, each ending in CRLF, without the blank line. */
  constructor(private readonly text: string) {
    const line = STATUS_LINE.exec(text);
    if (!line) throw new HttpParseError('malformed status line');
    // The values' bytes, checked in one native pass over the block rather than byte by byte in each value.
    if (NOT_IN_HEAD.test(text)) throw new HttpParseError('invalid character in a header value');
    this.status = Number(line[2]);
    let close = false;
    let keepAlive = line[1] === '1';
    let transferEncoding = false;
    let pos = line[0].length;
    while (pos < text.length) {
      const eol = text.indexOf('\r\n', pos);
      let i = pos;
      while (i < eol && TOKEN[text.charCodeAt(i)]) i++;
      if (i === pos || text.charCodeAt(i) !== 0x3a) throw new HttpParseError('malformed header line');
      const nameEnd = i++;
      while (i < eol && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09)) i++;
      const start = i;
      let end = eol;
      while (end > start && (text.charCodeAt(end - 1) === 0x20 || text.charCodeAt(end - 1) === 0x09)) end--;
      this.fields.push(pos, nameEnd, start, end);
      // The framing headers, told apart by length before any comparison.
      const length = nameEnd - pos;
      if (length === 14 && isName(text, pos, nameEnd, 'content-length')) {
        if (this.contentLength >= 0) throw new HttpParseError('duplicate content-length');
        this.contentLength = decimal(text, start, end);
      } else if (length === 17 && isName(text, pos, nameEnd, 'transfer-encoding')) {
        transferEncoding = true;
        this.chunked = lastCoding(text.slice(start, end)) === 'chunked';
      } else if (length === 10 && isName(text, pos, nameEnd, 'connection')) {
        for (const option of text.slice(start, end).toLowerCase().split(',')) {
          const o = option.trim();
          if (o === 'close') close = true;
          else if (o === 'keep-alive') keepAlive = true;
        }
      } else if (length === 10 && isName(text, pos, nameEnd, 'keep-alive')) {
        const hint = KEEP_ALIVE_TIMEOUT.exec(text.slice(start, end));
        if (hint) this.keepAliveHintMs = Number(hint[1]) * 1000;
      }
      pos = eol + 2;
    }
    if (transferEncoding && this.contentLength >= 0) throw new HttpParseError('both transfer-encoding and content-length');
    // A coding other than chunked last would leave the body's end to the connection's close: not a response to trust.
    if (transferEncoding && !this.chunked) throw new HttpParseError('transfer-encoding without chunked last');
    this.keepAlive = keepAlive && !close;
  }

  /** The first value of the header `name` (lower case), or undefined. */
  get(name: string): string | undefined {
    const f = this.fields;
    for (let i = 0; i < f.length; i += 4) if (isName(this.text, f[i]!, f[i + 1]!, name)) return this.text.slice(f[i + 2], f[i + 3]);
    return undefined;
  }

  /** Every header as [name as sent, value], in order. */
  entries(): [string, string][] {
    const out: [string, string][] = [];
    for (let i = 0; i < this.fields.length; i += 4) {
      out.push([this.text.slice(this.fields[i], this.fields[i + 1]), this.text.slice(this.fields[i + 2], this.fields[i + 3])]);
    }
    return out;
  }
}

/** A Content-Length value: digits only, within the safe integers. */
function decimal(text: string, start: number, end: number): number {
  if (start === end || end - start > 15) throw new HttpParseError('invalid content-length');
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) throw new HttpParseError('invalid content-length');
    n = n * 10 + d;
  }
  return n;
}

function lastCoding(value: string): string {
  return value
    .slice(value.lastIndexOf(',') + 1)
    .trim()
    .toLowerCase();
}
