// The gateway's HTTP/1.1 client against undici's (the reference: llhttp, the client the gateway used before), both
// reading the same bytes from a raw 127.0.0.1 server: generated responses in every framing, with header variety and
// the bytes written in random pieces, give both the same status, headers and body; malformed ones fail on both.
// Where they differ on purpose (response-parser.test.ts): ours refuses whitespace before a header's colon (RFC 9112
// §5.1), which llhttp takes into the name, and bytes after a complete response (not compared).
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Client, type Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateResponse, parsePieces, random, split } from '../../test/support/http1-responses.ts';
import { OriginPool } from './pool.ts';
import { requestHead } from './request.ts';

type Outcome = { status: number; headers: [string, string][]; body: string } | 'failed';

/** What the server answers to `GET /<n>`, and how it cuts it. */
const cases: { bytes: Buffer; pieces: number[] }[] = [];
let server: net.Server;
let origin: string;

beforeAll(async () => {
  server = net.createServer((socket) => {
    let request = '';
    socket.on('data', (bytes) => {
      request += bytes.toString('latin1');
      if (!request.includes('\r\n\r\n')) return;
      const n = Number(/^GET \/(\d+) /.exec(request)![1]);
      request = '';
      void write(socket, cases[n]!);
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** Writes a response in its pieces, a turn of the event loop apart, then closes (the end of a close-delimited body). */
async function write(socket: net.Socket, { bytes, pieces }: (typeof cases)[number]): Promise<void> {
  let at = 0;
  for (const end of [...pieces, bytes.length]) {
    socket.write(bytes.subarray(at, end));
    at = end;
    await new Promise((resolve) => setImmediate(resolve));
  }
  socket.end();
}

function viaUndici(client: Client, n: number): Promise<Outcome> {
  return new Promise((resolve) => {
    let status = 0;
    let headers: [string, string][] = [];
    const body: Buffer[] = [];
    const handler: Dispatcher.DispatchHandlers = {
      onConnect() {},
      onHeaders(code, raw) {
        if (code < 200) return true;
        status = code;
        headers = [];
        // undici keeps a value's trailing whitespace, which is not part of it (RFC 9110 §5.5); ours drops it.
        for (let i = 0; i < raw.length; i += 2)
          headers.push([raw[i]!.toString('latin1').toLowerCase(), raw[i + 1]!.toString('latin1').replace(/[ \t]+$/, '')]);
        return true;
      },
      onData: (chunk) => (body.push(Buffer.from(chunk)), true),
      onComplete: () => resolve({ status, headers, body: Buffer.concat(body).toString('latin1') }),
      onError: () => resolve('failed'),
    };
    client.dispatch({ path: `/${n}`, method: 'GET', headers: ['host', 'x'] }, handler);
  });
}

function viaGateway(pool: OriginPool, n: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const connection = pool.acquire();
    let outcome: { status: number; headers: [string, string][]; body: string } | undefined;
    const body: Buffer[] = [];
    connection.send(requestHead('GET', `/${n}`, ['host', 'x'], 'x', -1)!, '', false, {
      onHead: (head) => {
        outcome = { status: head.status, headers: head.entries().map(([k, v]) => [k.toLowerCase(), v]), body: '' };
      },
      onBody: (chunk) => (body.push(Buffer.from(chunk)), true),
      onEnd: () => {
        pool.release(connection);
        resolve({ ...outcome!, body: Buffer.concat(body).toString('latin1') });
      },
      onError: () => resolve('failed'),
    });
  });
}

/** Both clients on every case, one after another (the server closes after each answer). */
async function both(): Promise<[Outcome, Outcome][]> {
  const client = new Client(origin, { headersTimeout: 0, bodyTimeout: 0 });
  const pool = new OriginPool(origin);
  const out: [Outcome, Outcome][] = [];
  for (let n = 0; n < cases.length; n++) out.push([await viaUndici(client, n), await viaGateway(pool, n)]);
  await client.destroy();
  await pool.destroy();
  return out;
}

const MALFORMED = [
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n0\r\n\r\n',
  'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok',
  'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n',
  'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhell',
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n',
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nok\r\n0\r\n\r\n',
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n',
  'HTTP/1.1 200 OK\r\nX-A: a\x00b\r\nContent-Length: 0\r\n\r\n',
  'HTTP/2 200 OK\r\n\r\n',
  'HTTP/1.1 20 OK\r\n\r\n',
  'hello\r\n\r\n',
  'HTTP/1.1 200 OK\r\nContent-Le',
];

describe('the gateway client and undici on the same bytes', () => {
  it('read the same status, headers and body of 300 generated responses, written in random pieces (and cut at every byte)', async () => {
    const rand = random(15);
    cases.length = 0;
    for (let i = 0; i < 300; i++) {
      const { bytes } = generateResponse(rand, i % 10 === 0 ? 70_000 : 300);
      const pieces = [...new Set(Array.from({ length: rand(6) }, () => 1 + rand(bytes.length - 1)))].sort((a, b) => a - b);
      cases.push({ bytes, pieces });
    }
    const outcomes = await both();
    let cut = 0;
    for (const [n, [reference, ours]] of outcomes.entries()) {
      const { bytes } = cases[n]!;
      expect(reference, bytes.toString('latin1').slice(0, 400)).not.toBe('failed');
      expect(ours, bytes.toString('latin1').slice(0, 400)).toEqual(reference);
      // The small ones also through the parser alone, cut at every byte.
      if (bytes.length > 300) continue;
      for (let at = 1; at < bytes.length; at++) expect(parsePieces(split(bytes, [at])), `cut at ${at}`).toEqual(reference);
      cut++;
    }
    expect(cut).toBeGreaterThan(100);
  });

  it('both fail on malformed responses', async () => {
    cases.length = 0;
    for (const text of MALFORMED) cases.push({ bytes: Buffer.from(text, 'latin1'), pieces: [] });
    const outcomes = await both();
    for (const [n, pair] of outcomes.entries()) expect(pair, MALFORMED[n]).toEqual(['failed', 'failed']);
  });
});
