// The usage log as its readers rely on it: one line per request, valid against the published schema, priced,
// and free of prompts and credentials; with the cache and redaction outcomes it records.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, UPSTREAM_KEYS, type TestGateway } from '../test/support/gateway-fixture.ts';
import { KEYS } from '../test/support/ir-fixture.ts';
import { openUsageLog, TurnBatch } from './usage-log.ts';

const schema = JSON.parse(readFileSync(new URL('../schema/usage-record.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv2020({ strict: false });
addFormats.default(ajv);
const validate = ajv.compile(schema);

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t.close());
beforeEach(() => {
  t.oai.reset();
  t.ant.reset();
});

const client = (apiKey: string = KEYS.alice) => new OpenAI({ baseURL: t.baseURL, apiKey, maxRetries: 0 });
const SECRET_PROMPT = 'my secret plan is to buy ORD-1234 for bob@example.com';

describe('usage log', () => {
  it('writes one schema-valid line per request, priced, with no prompt text and no credential', async () => {
    const before = t.usage.length;
    t.oai.enqueue({ usage: { input: 1000, output: 2000 } });
    await client().chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: SECRET_PROMPT }] });
    t.ant.enqueue({ usage: { input: 100, output: 10 } });
    const stream = await client().chat.completions.create({
      model: 'claude',
      stream: true,
      messages: [{ role: 'user', content: SECRET_PROMPT }],
    });
    for await (const _ of stream);
    await client('sk-wrong')
      .chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: SECRET_PROMPT }] })
      .catch(() => {});
    await client(KEYS.bob)
      .chat.completions.create({ model: 'claude', messages: [{ role: 'user', content: SECRET_PROMPT }] })
      .catch(() => {});

    const lines = t.usage.slice(before);
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(validate(line), JSON.stringify(validate.errors)).toBe(true);
    const [plain, streamed, unauthenticated, forbidden] = lines;
    expect(plain).toMatchObject({
      consumer: 'alice',
      route: 'chat',
      provider: 'oai',
      model: 'gpt-4o-mini',
      status: 200,
      inputTokens: 1000,
      outputTokens: 2000,
      stream: false,
      cache: 'bypass',
    });
    expect(plain.costUsd).toBeCloseTo((1000 * 0.15 + 2000 * 0.6) / 1e6, 12);
    expect(streamed).toMatchObject({ provider: 'ant', inputTokens: 100, outputTokens: 10, stream: true });
    expect(streamed.costUsd).toBeCloseTo((100 * 0.8 + 10 * 4) / 1e6, 12);
    expect(unauthenticated).toMatchObject({ consumer: null, status: 401 });
    expect(forbidden).toMatchObject({ consumer: 'bob', status: 403, error: 'model_not_permitted' });

    const text = t.usageText();
    expect(text).not.toContain('secret plan');
    for (const secret of [...Object.values(UPSTREAM_KEYS), ...Object.values(KEYS)]) expect(text).not.toContain(secret);
  });

  it('is written before a non-streaming response ends', async () => {
    const before = t.usage.length;
    const { response } = await client()
      .chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'x' }] })
      .withResponse();
    expect(t.usage.length).toBe(before + 1);
    expect(t.usage[before].requestId).toBe(response.headers.get('x-request-id'));
  });

  it('appends the lines of one event-loop turn together, in order, and only then runs what waits on them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'usage-log-'));
    try {
      const file = join(dir, 'usage.jsonl');
      const log = openUsageLog(file);
      const seen: string[] = [];
      log.afterWrites(() => seen.push('nothing queued: at once'));
      log.write('{"a":1}');
      log.afterWrites(() => seen.push(`a: ${readFileSync(file, 'utf8')}`));
      log.write('{"b":2}');
      log.afterWrites(() => seen.push(`b: ${readFileSync(file, 'utf8')}`));
      expect(readFileSync(file, 'utf8')).toBe('');
      await new Promise((resolve) => setImmediate(resolve));
      expect(seen).toEqual(['nothing queued: at once', 'a: {"a":1}\n{"b":2}\n', 'b: {"a":1}\n{"b":2}\n']);

      // `flush` writes at once (MCP answers); what waits still runs after the turn, behind what waited before it.
      log.write('{"c":3}');
      log.afterWrites(() => seen.push('c'));
      log.flush();
      expect(readFileSync(file, 'utf8')).toBe('{"a":1}\n{"b":2}\n{"c":3}\n');
      log.afterWrites(() => seen.push('after c'));
      expect(seen).toHaveLength(3);
      // Closing (a reload that moves the log, the drain's end) writes what is queued and runs what waits.
      log.write('{"d":4}');
      await log.close();
      expect(seen.slice(3)).toEqual(['c', 'after c']);
      expect(readFileSync(file, 'utf8')).toBe('{"a":1}\n{"b":2}\n{"c":3}\n{"d":4}\n');
      expect(() => openUsageLog(join(dir, 'missing', 'usage.jsonl'))).toThrow(/ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ends every waiting response of a turn when one of them throws, then throws its error', () => {
    const batch = new TurnBatch(() => {});
    const ended: number[] = [];
    batch.write('{}');
    batch.afterWrites(() => ended.push(1));
    batch.afterWrites(() => {
      throw new Error('a bad header');
    });
    batch.afterWrites(() => ended.push(3));
    expect(() => batch.close()).toThrow('a bad header');
    expect(ended).toEqual([1, 3]);
  });

  it.skipIf(!existsSync('/dev/full'))('reports a full disk once, and never fails the request whose line it is', async () => {
    const troubles: (string | undefined)[] = [];
    const log = openUsageLog('/dev/full', (err) => troubles.push((err as NodeJS.ErrnoException | undefined)?.code));
    log.write('{"a":1}');
    log.flush();
    log.write('{"b":2}');
    log.flush();
    expect(troubles).toEqual(['ENOSPC']);
    await log.close();
  });
});

describe('response cache', () => {
  it('misses, then hits without calling the upstream, and never caches streams', async () => {
    const ask = () =>
      client()
        .chat.completions.create({ model: 'cached', messages: [{ role: 'user', content: 'same question' }] })
        .withResponse();
    const first = await ask();
    const second = await ask();
    expect(first.response.headers.get('x-cache')).toBe('miss');
    expect(second.response.headers.get('x-cache')).toBe('hit');
    expect(second.data).toEqual(first.data);
    expect(t.oai.requests).toHaveLength(1);
    expect(t.usage[t.usage.length - 1]).toMatchObject({ cache: 'hit', inputTokens: 0, costUsd: 0, provider: null });

    const stream = await client().chat.completions.create({
      model: 'cached',
      stream: true,
      messages: [{ role: 'user', content: 'same question' }],
    });
    for await (const _ of stream);
    expect(t.oai.requests).toHaveLength(2);
    const metrics = await (await fetch(`${t.gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/modelgate_cache_lookups_total\{route="cached",result="hit"\} 1/);
  });
});

describe('redaction', () => {
  it('redacts message text before it reaches the upstream', async () => {
    await client().chat.completions.create({
      model: 'chat',
      messages: [
        { role: 'system', content: 'Mail bob@example.com about ORD-1234.' },
        { role: 'user', content: [{ type: 'text', text: 'Order ORD-9876 for ann@example.org' }] },
      ],
    });
    const sent = t.oai.requests[0].body.messages;
    expect(sent[0].content).toBe('Mail [REDACTED:email] about [REDACTED:order-id].');
    expect(sent[1].content[0].text).toBe('Order [REDACTED:order-id] for [REDACTED:email]');
    expect(t.oai.requests[0].rawBody).not.toContain('example.com');
  });

  it('redacts embeddings input too', async () => {
    await client().embeddings.create({ model: 'embed', input: 'contact bob@example.com' });
    expect(t.oai.requests[0].body.input).toBe('contact [REDACTED:email]');
  });
});
