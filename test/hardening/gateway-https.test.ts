// Providers behind https: the bundled gateway.mjs talks TLS to them, checks their certificate against the
// trusted CAs (here a throwaway self-signed one, trusted through NODE_EXTRA_CA_CERTS), keeps the connection
// alive between calls, streams over it, and refuses a certificate it does not trust without leaking the
// credential. The certificate is made by `openssl` for each run; without it these tests are skipped.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import type http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IR } from '../../compiler/ir/types.ts';
import { UPSTREAM_KEYS } from '../support/gateway-fixture.ts';
import { KEYS } from '../support/ir-fixture.ts';
import { startMockAnthropic, startMockOpenAI, type MockUpstream } from '../mock-providers/index.ts';
import {
  bearer,
  chatBody,
  chunkEvent,
  expectOpenAIError,
  openAIAnswer,
  processIR,
  request,
  sseAnswer,
  useGatewayProcesses,
  type GatewayProcess,
} from './gateway-helpers.ts';

const hasOpenssl = !spawnSync('openssl', ['version']).error;
if (!hasOpenssl) console.warn('gateway-https: openssl is not installed; the https upstream tests are skipped');

const processes = useGatewayProcesses('https');
let oai: MockUpstream;
let ant: MockUpstream;
let tls: https.Server;
/** TLS connections the https upstream accepted. */
let connections = 0;
/** Requests it received. */
const seen: http.IncomingMessage[] = [];
let certFile: string;

beforeAll(async () => {
  if (!hasOpenssl) return;
  const key = path.join(processes.dir, 'key.pem');
  certFile = path.join(processes.dir, 'cert.pem');
  const made = spawnSync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    key,
    '-out',
    certFile,
  ]);
  if (made.status !== 0) throw new Error(`openssl failed: ${made.stderr}`);
  tls = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(certFile) }, (req, res) => {
    seen.push(req);
    const chunks: Buffer[] = [];
    req
      .on('data', (chunk: Buffer) => chunks.push(chunk))
      .once('end', () => {
        const stream = JSON.parse(Buffer.concat(chunks).toString('utf8')).stream === true;
        void (stream ? sseAnswer([chunkEvent('over'), chunkEvent(' tls'), 'data: [DONE]\n\n']) : openAIAnswer('over tls'))(req, res);
      });
  });
  tls.on('secureConnection', () => connections++);
  await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
  [oai, ant] = await Promise.all([
    startMockOpenAI({ apiKey: UPSTREAM_KEYS.OAI_KEY, record: false }),
    startMockAnthropic({ apiKey: UPSTREAM_KEYS.ANT_KEY, record: false }),
  ]);
});
afterAll(async () => {
  await Promise.all([oai?.close(), ant?.close()]);
  tls?.closeAllConnections();
  await new Promise((resolve) => (tls ? tls.close(resolve) : resolve(undefined)));
});

/** The fixture with a route `tls` whose only target is the OpenAI provider, moved to the https upstream. */
function httpsIR(): IR {
  const ir = processIR(oai, ant, path.join(processes.dir, 'usage.jsonl'));
  const provider = ir.providers.find((p) => p.type === 'openai')!;
  provider.baseUrl = `https://127.0.0.1:${(tls.address() as AddressInfo).port}/v1`;
  ir.routes.push({
    ...ir.routes[0],
    name: 'tls',
    targets: [{ provider: provider.name, model: 'gpt-4o-mini', weight: 100 }],
    fallbacks: [],
  });
  ir.accessPolicies[0].routes.push('tls');
  return ir;
}

const chat = (gw: GatewayProcess, extra: Record<string, unknown> = {}) =>
  request(`${gw.url}/v1/chat/completions`, { headers: bearer(KEYS.alice), body: chatBody('tls', extra) });

describe.skipIf(!hasOpenssl)('a provider behind https', () => {
  it('is called over TLS, with its credential, one connection kept alive for several calls', async () => {
    const gw = await processes.start(httpsIR(), { env: { NODE_EXTRA_CA_CERTS: certFile } });
    const before = connections;
    for (let i = 0; i < 3; i++) {
      const reply = await chat(gw);
      expect(reply.status).toBe(200);
      expect(JSON.parse(reply.body).choices[0].message.content).toBe('over tls');
    }
    expect(seen.at(-1)!.headers.authorization).toBe(`Bearer ${UPSTREAM_KEYS.OAI_KEY}`);
    expect(connections - before).toBe(1);
  });

  it('streams over TLS', async () => {
    const gw = await processes.start(httpsIR(), { env: { NODE_EXTRA_CA_CERTS: certFile } });
    const reply = await chat(gw, { stream: true });
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('"content":"over"');
    expect(reply.body).toContain('"content":" tls"');
    expect(reply.body.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it('refuses a certificate it does not trust: a 502, and no credential in any log line', async () => {
    const gw = await processes.start(httpsIR());
    const before = seen.length;
    const reply = await chat(gw);
    expectOpenAIError(reply, 502, 'upstream_unavailable');
    expect(seen.length).toBe(before);
    const logged = JSON.stringify(gw.logLines()) + reply.body;
    for (const secret of Object.values(UPSTREAM_KEYS)) expect(logged).not.toContain(secret);
  });
});
