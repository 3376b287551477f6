// Raw HTTP/1.1 responses for the gateway's parser tests (gateway/http1/): a parse of given bytes the way a
// connection feeds them, and a seeded generator of valid responses in every framing, with header variety.
import { ResponseParser } from '../../gateway/http1/response-parser.ts';

export interface Parsed {
  status: number;
  /** [lower-case name, value] in order. */
  headers: [string, string][];
  body: string;
}

/**
 * Feeds `pieces` to a parser as socket reads, then the connection's close: the response, or the error that ended it.
 * `pauseEvery`: the sink asks for a pause after every nth body piece (the rest is fed again, as `Connection` does).
 */
export function parsePieces(pieces: Buffer[], o: { noBody?: boolean; pauseEvery?: number } = {}): Parsed | { error: string } {
  const body: Buffer[] = [];
  let heads = 0;
  const parser = new ResponseParser({
    head: () => void heads++,
    body: (chunk) => (body.push(Buffer.from(chunk)), o.pauseEvery ? body.length % o.pauseEvery !== 0 : true),
  });
  parser.start(o.noBody ?? false);
  try {
    for (const piece of pieces) {
      for (let at = 0; at < piece.length; ) {
        if (parser.done) throw new Error('bytes after the response');
        at = parser.execute(piece, at);
      }
    }
    if (!parser.done && !parser.finish()) throw new Error('connection closed before the response ended');
  } catch (err) {
    return { error: (err as Error).message };
  }
  if (heads !== 1) return { error: `${heads} heads` };
  const head = parser.head!;
  return {
    status: head.status,
    headers: head.entries().map(([name, value]) => [name.toLowerCase(), value]),
    body: Buffer.concat(body).toString('latin1'),
  };
}

/** `bytes` cut at the given offsets. */
export function split(bytes: Buffer, at: number[]): Buffer[] {
  const cuts = [0, ...at, bytes.length];
  return cuts.slice(1).map((end, i) => bytes.subarray(cuts[i], end));
}

/** A small deterministic generator (mulberry32). */
export function random(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

export type Framing = 'length' | 'chunked' | 'close';

export interface GeneratedResponse {
  bytes: Buffer;
  framing: Framing;
  /** What a correct client reads. */
  expected: Parsed;
}

const NAMES = [
  'Content-Type',
  'x-request-id',
  'X-RateLimit-Remaining',
  'retry-after',
  'Set-Cookie',
  'vary',
  'X-A',
  'ETag',
  'cache-control',
];
const VALUES = ['application/json', '', 'a b\tc', '  padded  ', '1', 'W/"x"', '\xe9t\xe9', 'text/event-stream; charset=utf-8'];
const REASONS = [' OK', ' Not Found', '', ' ', ' Weird\treason \xff'];
const BODY_CHARS = 'abcdefghij{}":,\r\n0123456789 \xff\x00';

/** One valid response: random status, headers, body and framing (a status without body gets none). */
export function generateResponse(rand: (n: number) => number, maxBody: number): GeneratedResponse {
  const status = [200, 200, 201, 204, 304, 400, 404, 429, 500, 503][rand(10)]!;
  const noBody = status === 204 || status === 304;
  const framing: Framing = noBody ? 'length' : (['length', 'chunked', 'close'] as const)[rand(3)]!;
  const bodyLength = noBody ? 0 : [0, 1, 2, 7, 64, rand(maxBody + 1)][rand(6)]!;
  let body = '';
  for (let i = 0; i < bodyLength; i++) body += BODY_CHARS[rand(BODY_CHARS.length)];
  const headers: [string, string][] = [];
  for (let i = rand(12); i > 0; i--) headers.push([NAMES[rand(NAMES.length)]!, VALUES[rand(VALUES.length)]!]);
  let head = `HTTP/1.1 ${status}${REASONS[rand(REASONS.length)]}\r\n`;
  for (const [name, value] of headers) head += `${name}:${rand(2) ? ' ' : ''}${value}\r\n`;
  const framingHeader: [string, string] | undefined =
    framing === 'length' && !noBody
      ? ['Content-Length', String(bodyLength)]
      : framing === 'chunked'
        ? ['Transfer-Encoding', 'chunked']
        : undefined;
  if (framingHeader) head += `${framingHeader[0]}: ${framingHeader[1]}\r\n`;
  if (framing === 'close') head += 'Connection: close\r\n';
  let wire = `${head}\r\n`;
  if (framing === 'chunked') {
    let at = 0;
    while (at < body.length) {
      const size = 1 + rand(Math.min(body.length - at, 40));
      const ext = ['', ';a=b', ';name="q v"', ';x'][rand(4)];
      const hex = size.toString(16);
      wire += `${rand(2) ? hex.toUpperCase() : hex}${ext}\r\n${body.slice(at, at + size)}\r\n`;
      at += size;
    }
    wire += `0${rand(3) === 0 ? ';end' : ''}\r\n${rand(2) ? 'x-trailer: done\r\n' : ''}\r\n`;
  } else wire += body;
  const all = headers.map(([n, v]): [string, string] => [n.toLowerCase(), v.replace(/^[ \t]+|[ \t]+$/g, '')]);
  if (framingHeader) all.push([framingHeader[0].toLowerCase(), framingHeader[1]]);
  if (framing === 'close') all.push(['connection', 'close']);
  return { bytes: Buffer.from(wire, 'latin1'), framing, expected: { status, headers: all, body } };
}
