// The remote checkers against local mock services speaking their real wire formats (OpenAI moderations, Presidio's
// analyzer and anonymizer, the webhook contract), through the official SDKs: block, mask and flag on requests and
// answers, a streamed answer checked once whole, and a slow or dead checker with each `onError`.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseSecretRef } from '../../kernel/secret-env.ts';
import {
  type MockService,
  startMockModeration,
  startMockPresidio,
  startMockWebhook,
} from '../../test/mock-providers/guardrail-services.ts';
import { startTestGateway, type TestGateway } from '../../test/support/gateway-fixture.ts';
import { KEYS, testGuardrail } from '../../test/support/ir-fixture.ts';

const MOD_KEY = 'sk-' + 'moderation-PLANTED-credential'; // assembled: no token-shaped literal in the file

let t: TestGateway;
let moderation: MockService, presidio: MockService, webhook: MockService, slow: MockService;
let deadUrl: string;
beforeAll(async () => {
  [moderation, presidio, webhook, slow] = await Promise.all([
    startMockModeration(),
    startMockPresidio(),
    startMockWebhook(),
    startMockWebhook(),
  ]);
  const dead = await startMockWebhook();
  deadUrl = dead.origin;
  await dead.close();
  t = await startTestGateway(
    (ir) => {
      const slowHook = { type: 'webhook' as const, url: slow.origin, credential: null };
      ir.guardrails = [
        testGuardrail('dead', { type: 'webhook', url: deadUrl, credential: null }, { onError: 'allow' }),
        testGuardrail('hook', { type: 'webhook', url: `${webhook.origin}/check`, credential: null }, { stage: 'both', action: 'mask' }),
        testGuardrail(
          'mod',
          {
            type: 'moderation',
            url: `${moderation.origin}/v1/moderations`,
            credential: parseSecretRef('env:MOD_KEY'),
            thresholds: { violence: 0.5 },
          },
          { stage: 'both' },
        ),
        testGuardrail(
          'pres',
          { type: 'presidio', analyzerUrl: presidio.origin, anonymizerUrl: presidio.origin, language: 'en', scoreThreshold: 0.5 },
          { stage: 'both', action: 'mask' },
        ),
        testGuardrail('big', slowHook, { timeoutMs: 10_000, onError: 'allow' }),
        testGuardrail('slow-allow', slowHook, { timeoutMs: 100, onError: 'allow' }),
        testGuardrail('slow-deny', slowHook, { timeoutMs: 100, onError: 'deny' }),
        testGuardrail('slow-answer', slowHook, { stage: 'response', timeoutMs: 10_000, onError: 'allow' }),
      ];
      const chat = ir.routes[0]!;
      for (const g of ir.guardrails) ir.routes.push({ ...chat, name: g.name, fallbacks: [], guardrails: [g.name] });
      ir.routes.push({ ...ir.routes[1]!, name: 'claude-pres', guardrails: ['pres'] });
      ir.accessPolicies[0]!.routes.push('claude-pres', ...ir.guardrails.map((g) => g.name));
      ir.gateway.stores.responses = { type: 'memory', maxEntries: 100, ttlMs: 60_000 };
    },
    { MOD_KEY },
  );
});
afterAll(async () => {
  await t.close();
  await Promise.all([moderation, presidio, webhook, slow].map((s) => s.close()));
});
beforeEach(() => {
  t.oai.reset();
  t.ant.reset();
  for (const s of [moderation, presidio, webhook, slow]) s.received.length = 0;
  slow.delayMs = 0;
  slow.padBytes = 0;
});

const openai = () => new OpenAI({ baseURL: t.baseURL, apiKey: KEYS.alice, maxRetries: 0 });
const ask = (model: string, content: string) => openai().chat.completions.create({ model, messages: [{ role: 'user', content }] });
const lastUsage = () => t.usage[t.usage.length - 1];

describe('moderation', () => {
  it('blocks a request whose category score reaches its threshold, with the credential as a reference only', async () => {
    const err = await ask('mod', 'I will kill the process').catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.message).toContain('moderation:violence');
    expect(moderation.received[0]).toMatchObject({ path: '/v1/moderations', body: { input: ['I will kill the process'] } });
    expect(moderation.received[0]!.authorization).toBe(`Bearer ${MOD_KEY}`);
    expect(t.oai.requests).toHaveLength(0);
    expect(t.usageText() + t.logText()).not.toContain(MOD_KEY);
  });

  it('lets a category below the service flag through when it has no threshold, and checks the answer too', async () => {
    t.oai.enqueue({ reply: 'No hate here.' });
    const answer = await ask('mod', 'I hate mondays');
    expect(answer.choices[0]!.message.content).toBe('No hate here.');
    expect(moderation.received).toHaveLength(2);
    expect(moderation.received[1]!.body.input).toEqual(['No hate here.']);
    expect(lastUsage().guardrails).toBeUndefined();
  });
});

describe('presidio', () => {
  it("masks entities with the anonymizer before the request leaves, after the policy's own redaction", async () => {
    await ask('pres', 'Forward this to Alice at alice@example.org');
    // The policy's `redaction` (email) ran first: Presidio never saw the address.
    expect(presidio.received[0]!.body).toMatchObject({
      text: 'Forward this to Alice at [REDACTED:email]',
      language: 'en',
      score_threshold: 0.5,
    });
    expect(t.oai.requests[0]!.body.messages[0].content).toBe('Forward this to [REDACTED:person] at [REDACTED:email]');
    expect(presidio.received.map((r) => r.path)).toEqual(['/analyze', '/anonymize', '/analyze']);
    expect(lastUsage().guardrails).toEqual([{ guardrail: 'pres', stage: 'request', action: 'mask', categories: ['presidio:PERSON'] }]);
  });

  it('masks a JSON answer, and ends a stream whose whole text has an entity with the API error event', async () => {
    t.oai.enqueue({ reply: 'Ask Bob.' });
    const answer = await ask('pres', 'who knows?');
    expect(answer.choices[0]!.message.content).toBe('Ask [REDACTED:person].');

    t.ant.enqueue({ reply: 'Bob knows it all.', chunkDelayMs: 2 });
    const client = new Anthropic({ baseURL: t.gateway.url, apiKey: KEYS.alice, maxRetries: 0 });
    const stream = client.messages.stream({ model: 'claude-pres', max_tokens: 50, messages: [{ role: 'user', content: 'who?' }] });
    const err = await stream.finalMessage().catch((e) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect(lastUsage()).toMatchObject({ stream: true, error: 'guardrail_blocked' });
    expect(lastUsage().guardrails).toEqual([{ guardrail: 'pres', stage: 'response', action: 'block', categories: ['presidio:PERSON'] }]);
  });

  it("holds a stream's end back until the whole-text check: an OpenAI client never sees a blocked answer complete", async () => {
    t.oai.enqueue({ reply: 'Bob knows it all.' });
    const stream = await openai().chat.completions.create({ model: 'pres', stream: true, messages: [{ role: 'user', content: 'who?' }] });
    const err = await (async () => {
      for await (const _ of stream);
    })().catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.message).toContain('guardrail "pres"');

    t.oai.enqueue({ reply: 'Bob knows it all.' });
    const events: string[] = [];
    const responses = await openai().responses.create({ model: 'pres', input: 'who?', stream: true, store: false });
    await (async () => {
      for await (const e of responses) events.push(e.type);
    })().catch(() => undefined);
    expect(events).not.toContain('response.completed');
    expect(events.at(-1)).toBe('response.failed');
  });

  it('keeps no stored response of a Responses stream the whole-text check blocked', async () => {
    t.ant.enqueue({ reply: 'Bob knows it all.', chunkDelayMs: 2 });
    const stream = openai().responses.stream({ model: 'claude-pres', input: 'who?' });
    let id: string | undefined;
    stream.on('response.created', (e) => (id = e.response.id));
    await expect(stream.finalResponse()).rejects.toBeInstanceOf(OpenAI.APIError);
    expect(lastUsage()).toMatchObject({ stream: true, error: 'guardrail_blocked' });
    expect(id).toBeDefined();
    await expect(openai().responses.retrieve(id!)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});

describe('webhook', () => {
  it('posts the contract and sends on the rewritten texts of a mask, request and answer', async () => {
    t.oai.enqueue({ reply: 'That is forbidden knowledge.' });
    const answer = await ask('hook', 'tell me the forbidden thing');
    expect(webhook.received[0]).toMatchObject({
      path: '/check',
      body: { guardrail: 'hook', stage: 'request', texts: ['tell me the forbidden thing'] },
    });
    expect(t.oai.requests[0]!.body.messages[0].content).toBe('tell me the [removed] thing');
    expect(answer.choices[0]!.message.content).toBe('That is [removed] knowledge.');
    expect(lastUsage().guardrails).toEqual([
      { guardrail: 'hook', stage: 'request', action: 'mask', categories: ['house-rule'] },
      { guardrail: 'hook', stage: 'response', action: 'mask', categories: ['house-rule'] },
    ]);
  });
});

describe('a checker that fails', () => {
  it('past its timeout: onError deny refuses with 503, onError allow lets the request through', async () => {
    slow.delayMs = 1000;
    const denied = await ask('slow-deny', 'hello').catch((e) => e);
    expect(denied).toBeInstanceOf(OpenAI.InternalServerError);
    expect(denied.status).toBe(503);
    expect(denied.code).toBe('guardrail_unavailable');
    expect(lastUsage().guardrails).toEqual([{ guardrail: 'slow-deny', stage: 'request', action: 'error', categories: ['timeout'] }]);
    expect(t.oai.requests).toHaveLength(0);

    const started = performance.now();
    const allowed = await ask('slow-allow', 'hello');
    expect(allowed.choices[0]!.message.content).toBeTruthy();
    expect(performance.now() - started).toBeLessThan(900); // the timeout, not the checker, decided
    expect(lastUsage().guardrails).toEqual([{ guardrail: 'slow-allow', stage: 'request', action: 'error', categories: ['timeout'] }]);
  });

  it("slow on a stream's whole text: its time is neither generation (tokens per second) nor the model's", async () => {
    const upstreamSeconds = async () =>
      Number(
        /modelgate_upstream_duration_seconds_sum\{provider="oai",model="gpt-4o-mini",outcome="ok"\} (\S+)/.exec(
          await t.gateway.metrics.text(),
        )?.[1] ?? 0,
      );
    const before = await upstreamSeconds();
    slow.delayMs = 1000;
    t.oai.enqueue({ reply: 'one two three', usage: { input: 5, output: 50 } });
    const stream = await openai().chat.completions.create({
      model: 'slow-answer',
      stream: true,
      messages: [{ role: 'user', content: 'count' }],
    });
    for await (const _ of stream);
    expect(lastUsage()).toMatchObject({ status: 200, outputTokens: 50 });
    const metrics = await t.gateway.metrics.text();
    const rate = Number(/modelgate_output_tokens_per_second_sum\{route="slow-answer"[^}]*\} (\S+)/.exec(metrics)?.[1]);
    // 50 tokens generated in a few ms, not over the checker's second (under 50 a second). Generous for a loaded machine.
    expect(rate).toBeGreaterThan(200);
    // The attempt (the breaker's latency window, the upstream metric, the usage line) is over with the upstream.
    expect((await upstreamSeconds()) - before).toBeLessThan(0.5);
    expect(lastUsage().upstreamLatencyMs).toBeGreaterThan(0);
    expect(lastUsage().upstreamLatencyMs).toBeLessThan(500);
  });

  it('answering more than 8 MiB: the answer is not read whole, the checker counts as unavailable', async () => {
    slow.padBytes = 9 * 1024 * 1024;
    await ask('big', 'hello');
    expect(lastUsage().guardrails).toEqual([{ guardrail: 'big', stage: 'request', action: 'error', categories: ['unavailable'] }]);
  });

  it('unreachable: the verdict says unavailable', async () => {
    await ask('dead', 'hello');
    expect(lastUsage().guardrails).toEqual([{ guardrail: 'dead', stage: 'request', action: 'error', categories: ['unavailable'] }]);
    const metrics = await (await fetch(`${t.gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/modelgate_guardrail_verdicts_total\{guardrail="dead",action="error",category="unavailable"\} [1-9]/);
  });
});
