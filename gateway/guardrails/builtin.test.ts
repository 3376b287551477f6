// Built-in guardrails as clients see them through the official SDKs: refusals in each API's error shape before
// anything leaves, masks on what the provider receives, response checks on JSON answers and on streams (a match
// split across chunks included), and verdicts in usage lines and metrics, never the text that matched.
import { readFileSync } from 'node:fs';
import Anthropic from '@anthropic-ai/sdk';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway, until } from '../../test/support/gateway-fixture.ts';
import { startOtlpReceiver } from '../../test/support/otlp-receiver.ts';
import { KEYS, testGuardrail, testPrompt } from '../../test/support/ir-fixture.ts';
import { defaultRequestSchema } from '../../compiler/ir/prompt-contract.ts';

// Assembled at run time, so that this file holds no token-shaped literal.
const PLANTED = 'sk-ant-' + 'api03-PLANTEDguardrailSecret0123456789';
const CARD = '4111 1111 1111 1111';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway((ir) => {
    ir.guardrails = [
      testGuardrail('card-mask', { type: 'pii', detectors: ['card'], patterns: [] }, { stage: 'both', action: 'mask' }),
      testGuardrail('ip-flag', { type: 'pii', detectors: ['ipv4'], patterns: [] }, { stage: 'response', action: 'flag' }),
      testGuardrail('no-secrets', { type: 'secrets' }),
      testGuardrail('phoenix', { type: 'deniedTopics', words: ['project phoenix'] }, { stage: 'both' }),
      testGuardrail('no-sunflowers', { type: 'deniedTopics', words: ['sunflower'] }, { stage: 'response' }),
    ];
    ir.accessPolicies[0]!.guardrails = ['no-secrets', 'card-mask'];
    ir.accessPolicies[1]!.guardrails = ['no-sunflowers'];
    ir.accessPolicies[1]!.routes.push('cached');
    for (const route of ir.routes) route.guardrails = ['phoenix', 'ip-flag', 'no-secrets'];
    ir.gateway.stores.responses = { type: 'memory', maxEntries: 100, ttlMs: 60_000 };
    const variables = { type: 'object', properties: { topic: { type: 'string' } } };
    const summary = { type: 'object', required: ['summary'], properties: { summary: { type: 'string' }, tags: { type: 'array' } } };
    ir.prompts.push(
      testPrompt('summarize', 'chat', {
        variables,
        versions: { v1: { messages: [{ role: 'user', content: 'Summarize {{topic}}' }] } },
        expose: { method: 'POST', path: '/v1/apps/summary', request: defaultRequestSchema(variables), response: summary },
      }),
    );
    ir.accessPolicies[0]!.prompts.push('summarize');
  });
});
afterAll(() => t.close());
beforeEach(() => {
  t.oai.reset();
  t.ant.reset();
});

const ajv = new Ajv2020({ strict: false });
addFormats.default(ajv);
const validUsageLine = ajv.compile(JSON.parse(readFileSync(new URL('../../schema/usage-record.schema.json', import.meta.url), 'utf8')));

const openai = () => new OpenAI({ baseURL: t.baseURL, apiKey: KEYS.alice, maxRetries: 0 });
const anthropic = () => new Anthropic({ baseURL: t.gateway.url, apiKey: KEYS.alice, maxRetries: 0 });
const lastUsage = () => t.usage[t.usage.length - 1];

describe('request guardrails', () => {
  it('refuses a planted secret on chat before anything leaves, as an OpenAI BadRequestError, never logging it', async () => {
    const err = await openai()
      .chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: `deploy with ${PLANTED}` }] })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.code).toBe('guardrail_blocked');
    expect(err.message).toContain('guardrail "no-secrets" (secret)');
    expect(t.oai.requests).toHaveLength(0);
    expect(lastUsage()).toMatchObject({
      status: 400,
      error: 'guardrail_blocked',
      guardrails: [{ guardrail: 'no-secrets', stage: 'request', action: 'block', categories: ['secret'] }],
    });
    expect(validUsageLine(lastUsage()), JSON.stringify(validUsageLine.errors)).toBe(true);
    expect(t.usageText()).not.toContain('PLANTED');
    expect(t.logText()).not.toContain('PLANTED');
  });

  it('refuses on embeddings and on the Messages API in their own shapes', async () => {
    const embed = await openai()
      .embeddings.create({ model: 'embed', input: `key ${PLANTED}` })
      .catch((e) => e);
    expect(embed).toBeInstanceOf(OpenAI.BadRequestError);
    const messages = await anthropic()
      .messages.create({ model: 'claude', max_tokens: 50, messages: [{ role: 'user', content: 'Status of Project  Phoenix?' }] })
      .catch((e) => e);
    expect(messages).toBeInstanceOf(Anthropic.BadRequestError);
    expect(messages.error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(messages.message).toContain('topic:project phoenix');
    expect(t.oai.requests).toHaveLength(0);
    expect(t.ant.requests).toHaveLength(0);
  });

  it('checks a prompt endpoint on its rendered messages', async () => {
    const res = await fetch(`${t.baseURL}/prompts/greet`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.alice}`, 'content-type': 'application/json' },
      body: JSON.stringify({ variables: { name: 'Project Phoenix' } }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error).toMatchObject({ type: 'invalid_request_error', code: 'guardrail_blocked' });
    expect(t.ant.requests).toHaveLength(0);
    expect(lastUsage()).toMatchObject({ prompt: 'greet', guardrails: [{ guardrail: 'phoenix', stage: 'request', action: 'block' }] });
  });

  it('masks a card number on chat and on Messages passed through, and records the mask', async () => {
    await openai().chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: `Charge ${CARD} now` }] });
    expect(t.oai.requests[0]!.body.messages[0].content).toBe('Charge [REDACTED:card] now');
    expect(lastUsage().guardrails).toEqual([{ guardrail: 'card-mask', stage: 'request', action: 'mask', categories: ['pii:card'] }]);
    await anthropic().messages.create({ model: 'claude', max_tokens: 50, messages: [{ role: 'user', content: `Card: ${CARD}` }] });
    expect(t.ant.requests[0]!.body.messages[0].content).toBe('Card: [REDACTED:card]');
    expect(t.ant.requests[0]!.rawBody).not.toContain('4111');
  });

  it('checks the Responses API input and lets clean requests through without a verdict', async () => {
    const err = await openai()
      .responses.create({ model: 'chat', input: 'Tell me about project phoenix' })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    const ok = await openai().responses.create({ model: 'chat', input: 'hello' });
    expect(ok.output_text).toBeTruthy();
    expect(lastUsage().guardrails).toBeUndefined();
  });
});

describe('response guardrails on JSON answers', () => {
  it('withholds an answer that names a denied topic (Responses, Messages), in their error shapes', async () => {
    t.oai.enqueue({ reply: 'Sure: project phoenix ships in May.' });
    const err = await openai()
      .responses.create({ model: 'chat', input: 'what ships in May?' })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.message).toContain('The answer was blocked by guardrail "phoenix"');
    expect(lastUsage().guardrails).toEqual([
      { guardrail: 'phoenix', stage: 'response', action: 'block', categories: ['topic:project phoenix'] },
    ]);
    t.ant.enqueue({ reply: 'It is Project Phoenix.' });
    const messages = await anthropic()
      .messages.create({ model: 'claude', max_tokens: 50, messages: [{ role: 'user', content: 'name it' }] })
      .catch((e) => e);
    expect(messages).toBeInstanceOf(Anthropic.BadRequestError);
  });

  it('keeps a stored Responses answer as masked for the client, never as the provider wrote it', async () => {
    for (const [model, upstream] of [
      ['chat', t.oai],
      ['claude', t.ant],
    ] as const) {
      upstream.enqueue({ reply: `Your card ${CARD} is on file.` });
      const answer = await openai().responses.create({ model, input: 'which card?' });
      expect(answer.output_text).toBe('Your card [REDACTED:card] is on file.');
      // GET /v1/responses/{id} (and the history a continuation sends upstream) is what the client was shown.
      const kept = await openai().responses.retrieve(answer.id);
      expect(kept.output_text).toBe('Your card [REDACTED:card] is on file.');
      expect(JSON.stringify(kept)).not.toContain(CARD);
    }
  });

  it('answers a masked Responses answer its store failed to keep, logging the failure without the text', async () => {
    const down = await startTestGateway(
      (ir) => {
        ir.guardrails = [testGuardrail('card-mask', { type: 'pii', detectors: ['card'], patterns: [] }, { stage: 'both', action: 'mask' })];
        ir.accessPolicies[0]!.guardrails = ['card-mask'];
        const url = { ref: 'env:REDIS_URL', source: 'env' as const, name: 'REDIS_URL' };
        ir.gateway.stores.responses = { type: 'redis', url, keyPrefix: 'down:', ttlMs: 60_000 };
      },
      { REDIS_URL: 'redis://127.0.0.1:1' },
    );
    try {
      down.oai.enqueue({ reply: `Your card ${CARD} is on file.` });
      const client = new OpenAI({ baseURL: down.baseURL, apiKey: KEYS.alice, maxRetries: 0 });
      const answer = await client.responses.create({ model: 'chat', input: 'which card?' });
      expect(answer.output_text).toBe('Your card [REDACTED:card] is on file.');
      expect(down.usage.at(-1)).toMatchObject({ status: 200 });
      await until(async () => down.logText().includes('could not be stored'), 5000);
      expect(down.logText()).not.toContain(CARD);
    } finally {
      await down.close();
    }
  });

  it("checks every string of an exposed prompt's structured answer: blocked, or masked", async () => {
    const ask = () =>
      fetch(`${t.gateway.url}/v1/apps/summary`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEYS.alice}`, 'content-type': 'application/json' },
        body: JSON.stringify({ topic: 'the roadmap' }),
      });
    t.oai.enqueue({ structured: { summary: 'We ship project phoenix in May.' } });
    const refused = await ask();
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as any).error.code).toBe('guardrail_blocked');
    t.oai.enqueue({ structured: { summary: 'Paid.', tags: [`card ${CARD}`] } });
    const masked = await ask();
    expect(await masked.json()).toEqual({ summary: 'Paid.', tags: ['card [REDACTED:card]'] });
  });

  it('flags an address in an answer: the answer passes, the verdict is in the usage line and the metrics', async () => {
    t.oai.enqueue({ reply: 'The host is 10.20.30.40.' });
    const answer = await openai().chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'which host?' }] });
    expect(answer.choices[0]!.message.content).toBe('The host is 10.20.30.40.');
    expect(lastUsage()).toMatchObject({
      status: 200,
      guardrails: [{ guardrail: 'ip-flag', stage: 'response', action: 'flag', categories: ['pii:ipv4'] }],
    });
    expect(t.usageText()).not.toContain('10.20.30.40');
    const metrics = await (await fetch(`${t.gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/modelgate_guardrail_verdicts_total\{guardrail="ip-flag",action="flag",category="pii:ipv4"\} [1-9]/);
    expect(metrics).not.toContain('10.20.30.40');
  });

  it('checks a cached answer against the policy of the caller it is served to, not the one it was cached for', async () => {
    const ask = (apiKey: string) =>
      new OpenAI({ baseURL: t.baseURL, apiKey, maxRetries: 0 }).chat.completions.create({
        model: 'cached',
        messages: [{ role: 'user', content: 'which flower?' }],
      });
    t.oai.enqueue({ reply: 'A sunflower.' });
    expect((await ask(KEYS.alice)).choices[0]!.message.content).toBe('A sunflower.');
    const err = await ask(KEYS.bob).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(lastUsage()).toMatchObject({ cache: 'hit', consumer: 'bob', guardrails: [{ guardrail: 'no-sunflowers', action: 'block' }] });
    expect(t.oai.requests).toHaveLength(1);
  });
});

describe('response guardrails on streams', () => {
  it('catches a denied phrase split across chat chunks: the stream ends with the error event before its last part', async () => {
    t.oai.enqueue({ reply: 'We launch project phoenix tomorrow morning.', chunkDelayMs: 5 });
    const stream = await openai().chat.completions.create({ model: 'chat', stream: true, messages: [{ role: 'user', content: 'plans?' }] });
    let text = '';
    const err = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect(err.message).toContain('guardrail "phoenix"');
    expect(text).toContain('project ');
    expect(text).not.toContain('phoenix');
    expect(lastUsage()).toMatchObject({ stream: true, error: 'guardrail_blocked' });
    expect(lastUsage().guardrails).toEqual([
      { guardrail: 'phoenix', stage: 'response', action: 'block', categories: ['topic:project phoenix'] },
    ]);
  });

  it('checks a traced stream as any other: the trace tap leaves the guard outermost, where the relay asks it', async () => {
    const receiver = await startOtlpReceiver();
    const traced = await startTestGateway((ir) => {
      ir.gateway.telemetry = { otlp: { endpoint: receiver.url, headers: {}, samplingRatio: 1, serviceName: 'gw-test' } };
      ir.guardrails = [testGuardrail('phoenix', { type: 'deniedTopics', words: ['project phoenix'] }, { stage: 'response' })];
      for (const route of ir.routes) route.guardrails = ['phoenix'];
    });
    try {
      traced.oai.enqueue({ reply: 'We launch project phoenix tomorrow morning.', chunkDelayMs: 5 });
      const client = new OpenAI({ baseURL: traced.baseURL, apiKey: KEYS.alice, maxRetries: 0 });
      const stream = await client.chat.completions.create({ model: 'chat', stream: true, messages: [{ role: 'user', content: 'plans?' }] });
      let text = '';
      const err = await (async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      })().catch((e) => e);
      expect(err).toBeInstanceOf(OpenAI.APIError);
      expect(text).not.toContain('phoenix');
      expect(traced.usage.at(-1)).toMatchObject({ stream: true, error: 'guardrail_blocked' });
    } finally {
      await traced.close();
      await receiver.close();
    }
  });

  it('ends a Messages stream with its error event, and a Responses stream with response.failed', async () => {
    t.ant.enqueue({ reply: 'Codename: Project Phoenix, stay tuned.', chunkDelayMs: 5 });
    const messages = anthropic().messages.stream({ model: 'claude', max_tokens: 50, messages: [{ role: 'user', content: 'codename?' }] });
    const messagesErr = await messages.finalMessage().catch((e) => e);
    expect(messagesErr).toBeInstanceOf(Anthropic.APIError);
    expect(messagesErr.error).toMatchObject({
      error: { type: 'invalid_request_error', message: expect.stringContaining('guardrail "phoenix"') },
    });

    t.oai.enqueue({ reply: 'Codename: project phoenix indeed.', chunkDelayMs: 5 });
    const events: string[] = [];
    const responses = await openai().responses.create({ model: 'chat', input: 'codename?', stream: true });
    const responsesErr = await (async () => {
      for await (const e of responses) events.push(e.type);
    })().catch((e) => e);
    expect(events.at(-1)).toBe('response.failed');
    expect(responsesErr).toBeInstanceOf(OpenAI.APIError);
    expect(responsesErr.code).toBe('guardrail_blocked');
  });

  it('flags in a stream once per category and lets it finish', async () => {
    t.oai.enqueue({ reply: 'Hosts: 10.0.0.1 and 10.0.0.2 are up.', chunkDelayMs: 2 });
    const stream = await openai().chat.completions.create({ model: 'chat', stream: true, messages: [{ role: 'user', content: 'hosts?' }] });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Hosts: 10.0.0.1 and 10.0.0.2 are up.');
    expect(lastUsage()).toMatchObject({ status: 200, guardrails: [{ guardrail: 'ip-flag', action: 'flag', categories: ['pii:ipv4'] }] });
  });
});
