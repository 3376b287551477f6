// `modelgate serve` as a developer runs it: a YAML repo compiled in memory, served, recompiled on change.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startMockOpenAI, type MockUpstream } from '../../test/mock-providers/index.ts';
import { main } from '../main.ts';

const BIN = fileURLToPath(new URL('../../bin/modelgate.mjs', import.meta.url));
const KEY = 'sk-dev-local';

const repo = (baseUrl: string, routes: string[]) => `apiVersion: modelgate.dev/v1
kind: Gateway
metadata: { name: local }
spec:
  stores:
    limits: { type: redis, url: env:REDIS_URL_NOT_NEEDED_LOCALLY }
---
apiVersion: modelgate.dev/v1
kind: Provider
metadata: { name: mock }
spec:
  type: openai
  baseUrl: ${baseUrl}
  credential: env:MOCK_KEY
  models: [{ name: gpt-4o-mini }]
${routes
  .map(
    (name) => `---
apiVersion: modelgate.dev/v1
kind: Route
metadata: { name: ${name} }
spec:
  targets: [{ provider: mock, model: gpt-4o-mini }]`,
  )
  .join('\n')}
---
apiVersion: modelgate.dev/v1
kind: Consumer
metadata: { name: dev }
spec:
  apiKeys: [{ id: dev-1, sha256: "${createHash('sha256').update(KEY).digest('hex')}" }]
---
apiVersion: modelgate.dev/v1
kind: AccessPolicy
metadata: { name: dev }
spec:
  subjects: { consumers: [dev] }
  routes: ['*']
`;

let mock: MockUpstream;
let dir: string;
beforeAll(async () => {
  mock = await startMockOpenAI({ apiKey: 'sk-upstream' });
  dir = mkdtempSync(join(tmpdir(), 'modelgate-serve-'));
});
afterAll(async () => {
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
});

const serve = (args: string[]) => {
  const child = spawn(process.execPath, [BIN, 'serve', dir, '--port', '0', ...args], {
    env: { ...process.env, MOCK_KEY: 'sk-upstream', NO_COLOR: '1' },
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, exited, stderr: () => stderr };
};

const waitFor = async (check: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 50));
};

describe('modelgate serve', () => {
  it('prints the URL and routes, serves with in-memory stores, reloads on change and stops on SIGINT', async () => {
    writeFileSync(join(dir, 'gateway.yaml'), repo(mock.baseUrl, ['chat']));
    const s = serve([]);
    try {
      await waitFor(() => /on (http:\S+)/.test(s.stderr()) || s.child.exitCode !== null);
      const url = /on (http:\S+)/.exec(s.stderr())?.[1];
      expect(url, s.stderr()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(s.stderr()).toMatch(/chat\s+chat\s+mock\/gpt-4o-mini 100%/);
      const models = async () =>
        ((await (await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${KEY}` } })).json()) as any).data.map(
          (m: any) => m.id,
        );
      expect(await models()).toEqual(['chat']);
      const answer = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}` },
        body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(answer.status).toBe(200);

      writeFileSync(join(dir, 'gateway.yaml'), repo(mock.baseUrl, ['chat', 'chat-two']));
      await waitFor(async () => (await models()).length === 2);
      expect(await models()).toEqual(['chat', 'chat-two']);
      s.child.kill('SIGINT');
      expect(await s.exited).toBe(0);
    } finally {
      s.child.kill('SIGKILL');
    }
  });

  it('exits 1 with the diagnostics when the config has errors', async () => {
    writeFileSync(join(dir, 'gateway.yaml'), repo(mock.baseUrl, ['chat']).replace('model: gpt-4o-mini }]', 'model: gpt-4o-maxi }]'));
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
    try {
      expect(await main(['node', 'modelgate', 'serve', dir, '--no-watch', '--port', '0'])).toBe(1);
    } finally {
      spy.mockRestore();
    }
    expect(written.join('')).toContain('gpt-4o-maxi');
  });
});
