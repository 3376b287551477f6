// Keep-alive connections to one origin against a raw 127.0.0.1 server: reuse (most recently used first), what ends
// it (Connection: close, the Keep-Alive timeout hint, the server closing an idle connection, stray bytes), a pause
// asked by the exchange, and failures (a cut body, an exchange given up, before or after its request was written).
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Connection, ExchangeHandler } from './connection.ts';
import { OriginPool } from './pool.ts';
import { requestHead } from './request.ts';

/** Answers one request on `socket`; `n` counts the requests on that connection. */
type Respond = (socket: net.Socket, n: number) => void;
let respond: Respond;
let server: net.Server;
let pool: OriginPool;
/** Server-side sockets in order of arrival, and when each closed. */
const sockets: net.Socket[] = [];
const closed = new Set<net.Socket>();
/** Connections `get` gave back to the pool, in order. */
const released: Connection[] = [];

beforeAll(async () => {
  server = net.createServer((socket) => {
    sockets.push(socket);
    socket.on('close', () => closed.add(socket));
    socket.on('error', () => {});
    let n = 0;
    let request = '';
    socket.on('data', (bytes) => {
      request += bytes.toString('latin1');
      if (request.includes('\r\n\r\n')) {
        request = '';
        respond(socket, n++);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  pool = new OriginPool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
afterEach(async () => {
  await pool.destroy();
  pool = new OriginPool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  for (const s of sockets.splice(0)) s.destroy();
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const ok = (extra = '') => `HTTP/1.1 200 OK\r\nContent-Length: 2\r\n${extra}\r\nok`;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const until = async (test: () => boolean) => {
  while (!test()) await wait(5);
};

interface Result {
  connection: Connection;
  body: string;
  error?: Error;
}

/** One GET through the pool; the connection goes back to it once the answer is in. */
function get(handler: Partial<ExchangeHandler> = {}): Promise<Result> {
  return new Promise((resolve) => {
    const connection = pool.acquire();
    const body: Buffer[] = [];
    connection.send(requestHead('GET', '/', [], 'h', -1)!, '', false, {
      onHead: () => {},
      onBody: (chunk) => (body.push(chunk), handler.onBody?.(chunk) ?? true),
      onEnd: () => {
        pool.release(connection);
        released.push(connection);
        resolve({ connection, body: Buffer.concat(body).toString() });
      },
      onError: (error) => resolve({ connection, body: Buffer.concat(body).toString(), error }),
    });
  });
}

describe('keep-alive connections', () => {
  it('are reused, the most recently released first', async () => {
    // The second connection answers later: it goes back to the pool last.
    respond = (s) => (sockets.indexOf(s) === 0 ? s.write(ok()) : setTimeout(() => s.write(ok()), 30));
    await Promise.all([get(), get()]);
    expect(sockets).toHaveLength(2);
    const [first, last] = released.slice(-2);
    expect(first).not.toBe(last);
    for (let i = 0; i < 3; i++) expect((await get()).connection).toBe(last);
    expect(sockets).toHaveLength(2);
  });

  it.each([
    ['Connection: close', 'Connection: close\r\n'],
    ['a Keep-Alive hint no longer than the safety margin', 'Keep-Alive: timeout=2\r\n'],
  ])('are closed after %s', async (_what, header) => {
    respond = (s) => s.write(ok(header));
    const first = await get();
    await until(() => closed.has(sockets[0]!));
    expect((await get()).connection).not.toBe(first.connection);
    expect(sockets).toHaveLength(2);
  });

  it('are not offered past the Keep-Alive hint (less a margin), and then closed', async () => {
    respond = (s) => s.write(ok('Keep-Alive: timeout=3\r\n'));
    const first = await get();
    expect((await get()).connection).toBe(first.connection);
    await wait(1_100);
    expect((await get()).connection).not.toBe(first.connection);
    await until(() => closed.has(sockets[0]!));
  });

  it('leave the pool when the server closes them while idle', async () => {
    respond = (s) => {
      s.write(ok());
      setTimeout(() => s.end(), 20);
    };
    const first = await get();
    await until(() => closed.has(sockets[0]!));
    await wait(20);
    const next = await get();
    expect(next.error).toBeUndefined();
    expect(next.connection).not.toBe(first.connection);
  });

  it('are closed when bytes arrive on them while idle', async () => {
    respond = (s, n) => {
      s.write(ok());
      if (n === 0) setTimeout(() => s.write('HTTP/1.1 200 OK\r\n'), 20);
    };
    const first = await get();
    await until(() => closed.has(sockets[0]!));
    expect((await get()).connection).not.toBe(first.connection);
  });
});

describe('an exchange on a connection', () => {
  it('gets no body bytes while it has asked for a pause, and the rest on resume', async () => {
    respond = (s) => {
      s.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n');
      setTimeout(() => s.write('6\r\nsecond\r\n0\r\n\r\n'), 20);
    };
    const connection = pool.acquire();
    const pieces: string[] = [];
    let ended = false;
    connection.send(requestHead('GET', '/', [], 'h', -1)!, '', false, {
      onHead: () => {},
      onBody: (chunk) => (pieces.push(chunk.toString()), pieces.length > 1),
      onEnd: () => (ended = true),
      onError: (err) => expect.unreachable(err.message),
    });
    await until(() => pieces.length === 1);
    // The rest reaches the socket meanwhile.
    await wait(100);
    expect(pieces).toEqual(['first']);
    connection.resume();
    await until(() => ended);
    expect(pieces).toEqual(['first', 'second']);
  });

  it('fails when the body is cut short, and the connection is not reused', async () => {
    respond = (s) => {
      s.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf');
      setTimeout(() => s.destroy(), 20);
    };
    const cut = await get();
    expect(cut.error).toBeDefined();
    expect(cut.body).toBe('half');
    respond = (s) => s.write(ok());
    expect((await get()).connection).not.toBe(cut.connection);
  });

  it('is never sent when given up in the turn it was made (requests are written after the I/O of that turn)', async () => {
    let requests = 0;
    respond = (s) => (requests++, s.write(ok()));
    const warm = await get();
    const connection = pool.acquire();
    expect(connection).toBe(warm.connection);
    connection.send(requestHead('GET', '/', [], 'h', -1)!, '', false, {
      onHead: () => expect.unreachable('a head'),
      onBody: () => expect.unreachable('a body'),
      onEnd: () => expect.unreachable('an end'),
      onError: () => expect.unreachable('an error'),
    });
    connection.destroy();
    await until(() => closed.has(sockets[0]!));
    expect(requests).toBe(1);
  });

  it('closes its socket when given up mid-way', async () => {
    respond = (s) => s.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf');
    const connection = pool.acquire();
    let heard = false;
    connection.send(requestHead('GET', '/', [], 'h', -1)!, '', false, {
      onHead: () => {},
      onBody: () => {
        connection.destroy();
        return false;
      },
      onEnd: () => (heard = true),
      onError: () => (heard = true),
    });
    await until(() => sockets.length === 1 && closed.has(sockets[0]!));
    expect(heard).toBe(false);
  });
});
