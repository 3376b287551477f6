// A request's head as it goes on the wire. The framing is the client's own: Content-Length is the body's, the
// connection is kept alive, and a caller's framing headers are dropped. A header that could not be sent as it is
// (a name that is not a token, a value with CR, LF, NUL or another control character) refuses the whole request,
// so nothing of it is ever written.
import { NOT_FIELD, TOKEN_NAME } from './chars.ts';

/** A path byte outside these (controls, SP, past latin1) would change the request line. */
const NOT_PATH = /[^\x21-\xff]/;

/** The head (request line and headers, through the blank line), or undefined when a header or the path is refused. */
export function requestHead(
  method: string,
  path: string,
  /** Raw list: name, value, name, value, ... */
  headers: readonly string[],
  /** The Host header when `headers` has none. */
  host: string,
  /** The body's length in bytes; -1 for no body (then no Content-Length). */
  bodyLength: number,
): string | undefined {
  if (NOT_PATH.test(path)) return undefined;
  let head = `${method} ${path} HTTP/1.1\r\n`;
  let hasHost = false;
  for (let i = 0; i < headers.length; i += 2) {
    const name = headers[i]!;
    const value = headers[i + 1]!;
    if (!TOKEN_NAME.test(name) || NOT_FIELD.test(value)) return undefined;
    if (isFraming(name)) continue;
    if (name.length === 4 && name.toLowerCase() === 'host') hasHost = true;
    head += `${name}: ${value}\r\n`;
  }
  if (!hasHost) head += `host: ${host}\r\n`;
  head += 'connection: keep-alive\r\n';
  return bodyLength < 0 ? `${head}\r\n` : `${head}content-length: ${bodyLength}\r\n\r\n`;
}

/** content-length, transfer-encoding, connection, keep-alive: told apart by length before lower-casing. */
function isFraming(name: string): boolean {
  switch (name.length) {
    case 10: {
      const lower = name.toLowerCase();
      return lower === 'connection' || lower === 'keep-alive';
    }
    case 14:
      return name.toLowerCase() === 'content-length';
    case 17:
      return name.toLowerCase() === 'transfer-encoding';
    default:
      return false;
  }
}
