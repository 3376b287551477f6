// A client that stops reading a stream holds its provider back: the gateway pauses the upstream body instead of
// buffering the whole answer in memory (events reach the client in one write per upstream socket read).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addUpstreamRoute, startTestGateway, type TestGateway } from '../test/support/gateway-fixture.ts';
import { KEYS } from '../test/support/ir-fixture.ts';

/** Far more than the sockets and buffers on the way can hold (a few MB each), within `maxResponseBytes`. */
const TOTAL = 200 * 1024 * 1024;
const EVENT = `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content: 'x'.repeat(4000) }, finish_reason: null }] })}\n\n`;

let t: TestGateway;
let upstream: http.Server;
/** Bytes the provider has handed to its socket so far. */
let written = 0;

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    req.resume().once('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // Writes as its socket takes them, as a provider's server does.
      const more = () => {
        while (written < TOTAL && !res.destroyed) {
          written += EVENT.length;
          if (!res.write(EVENT)) return void res.once('drain', more);
        }
        res.end('data: [DONE]\n\n');
      };
      more();
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  t = await startTestGateway((ir) => {
    ir.gateway.limits.maxResponseBytes = 256 * 1024 * 1024;
    addUpstreamRoute(ir, 'firehose', origin);
  });
});
afterAll(async () => {
  await t.close();
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

it('pauses the provider while the client reads nothing, and goes on when it reads again', async () => {
  const url = new URL(`${t.gateway.url}/v1/chat/completions`);
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', headers: { authorization: `Bearer ${KEYS.alice}`, 'content-type': 'application/json' } },
      resolve,
    );
    req.on('error', reject);
    req.end(JSON.stringify({ model: 'firehose', messages: [{ role: 'user', content: 'hi' }], stream: true }));
  });
  expect(res.statusCode).toBe(200);
  res.pause();
  // Until the provider is held back: its count stops growing.
  let seen = -1;
  while (written !== seen) {
    seen = written;
    await new Promise((r) => setTimeout(r, 300));
  }
  expect(written).toBeLessThan(TOTAL / 2);
  // Reading again lets the provider go on.
  let read = 0;
  res.on('data', (chunk: Buffer) => {
    read += chunk.length;
    if (written > seen + 8 * 1024 * 1024) res.destroy();
  });
  res.resume();
  await new Promise((resolve) => res.once('close', resolve));
  expect(written).toBeGreaterThan(seen + 8 * 1024 * 1024);
  expect(read).toBeGreaterThan(0);
}, 30_000);
