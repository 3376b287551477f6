// The node target's artifacts: a deterministic config.json holding only references, and a gateway.mjs that runs
// with plain `node` from a directory without node_modules, reloads its config and drains on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IR } from '../../compiler/ir/types.ts';
import { gatewayIR, KEYS, sampleIR, sampleIRWithNatives } from '../../test/support/ir-fixture.ts';
import { UPSTREAM_KEYS } from '../../test/support/gateway-fixture.ts';
import { startOtlpReceiver } from '../../test/support/otlp-receiver.ts';
import {
  BEDROCK_TEST_CREDENTIALS,
  BEDROCK_TEST_REGION,
  startMockAnthropic,
  startMockBedrock,
  startMockGemini,
  startMockOpenAI,
  type MockUpstream,
} from '../../test/mock-providers/index.ts';
import { variablesValidator } from '../../gateway/prompts.ts';
import { nodeTarget } from './index.ts';

describe('config.json', () => {
  it('is the IR with sorted keys, byte-identical from one build to the next', async () => {
    const ir = sampleIR();
    const [a, b] = await Promise.all([nodeTarget.build(ir), nodeTarget.build(sampleIR())]);
    expect(a.files['config.json']).toBe(b.files['config.json']);
    expect(a.files['gateway.mjs']).toBe(b.files['gateway.mjs']);
    expect(JSON.parse(a.files['config.json'])).toEqual(ir);
    const keys = Object.keys(JSON.parse(a.files['config.json']));
    expect(keys).toEqual([...keys].sort());
    expect(a.files['config.json']).toContain('"ref": "env:OPENAI_API_KEY"');
  });

  it('reports a prompt variables schema the gateway could not compile', async () => {
    const ir = sampleIR();
    ir.prompts[0].variables = { type: 'object', properties: { customer: { type: 'strng' } } };
    const { findings } = await nodeTarget.build(ir);
    expect(findings).toEqual([
      expect.objectContaining({ severity: 'error', resource: 'Prompt/support-reply', path: ['spec', 'variables'] }),
    ]);
    expect(findings[0].message).toContain('variables schema does not compile');
  });

  it('reports an embeddings route on an Anthropic provider', async () => {
    const ir = sampleIR();
    ir.routes.push({
      ...ir.routes[0],
      name: 'embed-claude',
      type: 'embeddings',
      targets: [{ provider: 'anthropic', model: 'claude-3-5-haiku-20241022', weight: 100 }],
      fallbacks: [],
    });
    const { findings } = await nodeTarget.build(ir);
    expect(findings).toEqual([
      expect.objectContaining({ severity: 'error', resource: 'Route/embed-claude', path: ['spec', 'targets', 0] }),
    ]);
  });

  it('reports embeddings routes on Bedrock and Gemini providers, which the gateway does not translate', async () => {
    const ir = sampleIRWithNatives();
    ir.routes.push({
      ...ir.routes[0],
      name: 'embed-native',
      type: 'embeddings',
      targets: [{ provider: 'gemini', model: 'gemini-2.5-flash', weight: 100 }],
      fallbacks: [{ provider: 'bedrock', model: 'anthropic.claude-3-5-haiku-20241022-v1:0' }],
    });
    const { findings } = await nodeTarget.build(ir);
    expect(findings.map((f) => `${f.path.join('.')}: ${f.message}`)).toEqual([
      'spec.targets.0: route embed-native sends embeddings to gemini/gemini-2.5-flash, but the gateway does not translate embeddings for Gemini.',
      'spec.fallbacks.0: route embed-native sends embeddings to bedrock/anthropic.claude-3-5-haiku-20241022-v1:0, but the gateway does not translate embeddings for Bedrock.',
    ]);
  });
});

describe('gateway.mjs', () => {
  let dir: string;
  let oai: MockUpstream;
  let ant: MockUpstream;
  let bundle: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'modelgate-node-'));
    [oai, ant] = await Promise.all([
      startMockOpenAI({ apiKey: UPSTREAM_KEYS.OAI_KEY }),
      startMockAnthropic({ apiKey: UPSTREAM_KEYS.ANT_KEY }),
    ]);
    bundle = (await nodeTarget.build(gatewayIR(oai, ant))).files['gateway.mjs'];
    writeFileSync(join(dir, 'gateway.mjs'), bundle);
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await Promise.all([oai.close(), ant.close()]);
  });

  const writeConfig = (ir: IR) => writeFileSync(join(dir, 'config.json'), JSON.stringify(ir));
  /** Starts the bundle with a bare environment; resolves with the child and its URL once it listens. */
  const start = (env: Record<string, string>) => {
    const child = spawn(process.execPath, ['gateway.mjs', '--config', 'config.json', '--port', '0'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const url = new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (d) => {
        stderr += d;
        const m = /"msg":"listening","url":"([^"]+)"/.exec(stderr);
        if (m) resolve(m[1]);
      });
      void exited.then(() => reject(new Error(stderr)));
    });
    return { child, url, exited, stderr: () => stderr };
  };
  const waitFor = async (check: () => boolean | Promise<boolean>) => {
    for (let i = 0; i < 100 && !(await check()); i++) await new Promise((r) => setTimeout(r, 50));
  };

  it('serves, reloads on file change and SIGHUP, refuses a broken config, and drains on SIGTERM', async () => {
    const ir = gatewayIR(oai, ant);
    ir.gateway.logging.level = 'info';
    writeConfig(ir);
    const gw = start(UPSTREAM_KEYS);
    let child: ChildProcess | undefined = gw.child;
    try {
      const client = new OpenAI({ baseURL: `${await gw.url}/v1`, apiKey: KEYS.alice, maxRetries: 0 });
      const served = async () =>
        (
          await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }).withResponse()
        ).response.headers.get('x-modelgate-provider');
      expect(await served()).toBe('oai');

      ir.routes[0].targets = [{ provider: 'ant', model: 'claude-3-5-haiku', weight: 100 }];
      writeConfig(ir);
      await waitFor(async () => (await served()) === 'ant');
      expect(await served()).toBe('ant');

      writeFileSync(join(dir, 'config.json'), '{"irVersion": 1}');
      await waitFor(() => gw.stderr().includes('new config refused'));
      expect(gw.stderr()).toContain('irVersion 1');
      expect(await served()).toBe('ant');

      ir.routes[0].targets = [{ provider: 'oai', model: 'gpt-4o-mini', weight: 100 }];
      writeConfig(ir);
      gw.child.kill('SIGHUP');
      await waitFor(async () => (await served()) === 'oai');
      expect(await served()).toBe('oai');

      oai.setDefault({ delayMs: 300 });
      const inflight = served();
      await new Promise((r) => setTimeout(r, 100));
      gw.child.kill('SIGTERM');
      expect(await inflight).toBe('oai'); // the request in flight finishes
      expect(await gw.exited).toBe(0);
      child = undefined;
    } finally {
      oai.reset();
      child?.kill('SIGKILL');
    }
  });

  it('drains, not dies, on a SIGTERM sent the moment it says it listens', async () => {
    const ir = gatewayIR(oai, ant);
    ir.gateway.logging.level = 'info';
    writeConfig(ir);
    // A few starts: the window between the line and the handler was microseconds wide.
    for (let i = 0; i < 3; i++) {
      const gw = start(UPSTREAM_KEYS);
      await gw.url;
      gw.child.kill('SIGTERM');
      expect(await gw.exited).toBe(0);
      expect(gw.stderr()).toContain('"msg":"stopped"');
    }
  });

  it('signs Bedrock calls and decodes their event streams, and speaks Gemini, from the bundle too', async () => {
    const [brk, gem] = await Promise.all([
      startMockBedrock({ credentials: BEDROCK_TEST_CREDENTIALS, region: BEDROCK_TEST_REGION }),
      startMockGemini({ apiKey: UPSTREAM_KEYS.GEM_KEY }),
    ]);
    const ir = gatewayIR(oai, ant, { brk, gem });
    ir.gateway.logging.level = 'info'; // the listening line
    writeConfig(ir);
    const gw = start(UPSTREAM_KEYS);
    try {
      const client = new OpenAI({ baseURL: `${await gw.url}/v1`, apiKey: KEYS.alice, maxRetries: 0 });
      for (const [model, mock] of [
        ['bedrock', brk],
        ['gemini', gem],
      ] as const) {
        mock.enqueue({ reply: 'translated both ways' });
        const r = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
        expect(r.choices[0]!.message.content).toBe('translated both ways');
        const stream = await client.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: 'hi' }] });
        let text = '';
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
        expect(text).toBe(`Hello from the mock ${model === 'bedrock' ? 'Bedrock.' : 'Gemini.'}`);
      }
    } finally {
      gw.child.kill('SIGKILL');
      await Promise.all([brk.close(), gem.close()]);
    }
  });

  it('exports its traces over OTLP from the bundle, and flushes them on SIGTERM', async () => {
    const receiver = await startOtlpReceiver();
    const ir = gatewayIR(oai, ant);
    ir.gateway.logging.level = 'info';
    ir.gateway.telemetry = { otlp: { endpoint: receiver.url, headers: {}, samplingRatio: 1, serviceName: 'bundled' } };
    writeConfig(ir);
    const gw = start(UPSTREAM_KEYS);
    try {
      const client = new OpenAI({ baseURL: `${await gw.url}/v1`, apiKey: KEYS.alice, maxRetries: 0 });
      await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] });
      gw.child.kill('SIGTERM');
      expect(await gw.exited).toBe(0);
      expect(receiver.spans.map((s) => s.name).sort()).toEqual(['chat chat', 'chat gpt-4o-mini']);
      expect(receiver.spans[0]!.resource['service.name']).toBe('bundled');
    } finally {
      gw.child.kill('SIGKILL');
      await receiver.close();
    }
  });

  it('refuses to start when a credential is missing, naming the reference and exiting 1', async () => {
    writeConfig(gatewayIR(oai, ant));
    const gw = start({ OAI_KEY: UPSTREAM_KEYS.OAI_KEY });
    await expect(gw.url).rejects.toThrow();
    expect(await gw.exited).toBe(1);
    expect(gw.stderr()).toContain('env:ANT_KEY is not set');
    expect(gw.stderr()).not.toContain(UPSTREAM_KEYS.OAI_KEY);
  });

  it("checks prompt schemas against the meta-schema with code compiled ahead of time, refusing what the sources' check refuses", async () => {
    const schemas = [
      { type: 'object', properties: { name: { type: 'strng' } } },
      { type: 'object', required: 'name' },
      { type: 'object', properties: { name: { type: 'string', minLength: 1 } }, required: ['name'] },
    ];
    for (const variables of schemas) {
      const ir = gatewayIR(oai, ant);
      ir.prompts[0]!.variables = variables;
      ir.gateway.logging.level = 'info';
      writeConfig(ir);
      const gw = start(UPSTREAM_KEYS);
      gw.url.catch(() => {}); // refused: awaited through `exited`
      let expected: string | undefined;
      try {
        variablesValidator(ir.prompts[0]!);
      } catch (err) {
        expected = (err as Error).message;
      }
      if (expected === undefined) {
        expect(await gw.url).toMatch(/^http:/);
        gw.child.kill('SIGKILL');
      } else {
        expect(await gw.exited).toBe(1);
        expect(gw.stderr()).toBe(`modelgate gateway: cannot start: ${expected}\n`);
      }
    }
  });

  it('is one self-contained file', () => {
    expect(bundle.startsWith('#!/usr/bin/env node')).toBe(true);
    expect(bundle).not.toMatch(/from ?["'](?!node:)[a-z@][^"']*["']/); // imports only node: built-ins
  });
});
