// A prompt's own endpoint (`expose`): the body is checked against the request schema, the model asked for
// structured output in each provider's way (OpenAI json_schema, Anthropic forced tool use), the answer checked
// against the response schema (one retry, then 502), the JSON object itself the answer.
import SwaggerParser from '@apidevtools/swagger-parser';
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defaultRequestSchema } from '../compiler/ir/prompt-contract.ts';
import type { IRPrompt } from '../compiler/ir/types.ts';
import { startTestGateway, type TestGateway } from '../test/support/gateway-fixture.ts';
import { KEYS, testPrompt } from '../test/support/ir-fixture.ts';

const VARIABLES = { type: 'object', properties: { code_diff: { type: 'string', minLength: 1 } } };
const REVIEW = {
  type: 'object',
  required: ['review_comment', 'severity'],
  additionalProperties: false,
  properties: { review_comment: { type: 'string' }, severity: { enum: ['info', 'major'] } },
};

const reviewer = (name: string, route: string, path: string, response?: Record<string, unknown>): IRPrompt =>
  testPrompt(name, route, {
    variables: VARIABLES,
    versions: { v1: { messages: [{ role: 'user', content: 'Review this diff:\n{{code_diff}}' }] } },
    expose: { method: 'POST', path, request: defaultRequestSchema(VARIABLES), ...(response ? { response } : {}) },
  });

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway((ir) => {
    ir.prompts.push(
      reviewer('reviewer', 'chat', '/ai-code-reviewer', REVIEW),
      reviewer('reviewer-claude', 'claude', '/v1/apps/code-reviewer', REVIEW),
      reviewer('reviewer-bedrock', 'bedrock', '/v1/apps/code-reviewer-bedrock', REVIEW),
      reviewer('reviewer-gemini', 'gemini', '/v1/apps/code-reviewer-gemini', REVIEW),
      reviewer('reviewer-cached', 'cached', '/v1/apps/cached-review', REVIEW),
      reviewer('explainer', 'claude', '/v1/apps/explain'),
      reviewer('reviewer-quick', 'claude-quick', '/v1/apps/quick-review', REVIEW),
    );
    ir.routes.push({ ...ir.routes.find((r) => r.name === 'claude')!, name: 'claude-quick', timeoutMs: 1500, fallbacks: [] });
    ir.accessPolicies[0].routes.push('claude-quick');
    ir.accessPolicies[0].prompts.push('reviewer-quick');
    ir.accessPolicies[0].prompts.push('reviewer', 'reviewer-claude', 'reviewer-bedrock', 'reviewer-gemini', 'reviewer-cached', 'explainer');
    ir.accessPolicies[1].prompts.push('explainer');
  });
});
afterAll(() => t.close());
beforeEach(() => {
  t.oai.reset();
  t.ant.reset();
  t.brk.reset();
  t.gem.reset();
});

const call = (path: string, body: unknown, headers: Record<string, string> = {}, key: string = KEYS.alice) =>
  fetch(`${t.gateway.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

const GOOD = { review_comment: 'Name the constant.', severity: 'info' };

describe('an exposed prompt with a response schema', () => {
  it('asks OpenAI for json_schema output and answers the JSON object itself, usage in headers and the usage line', async () => {
    t.oai.enqueue({ structured: GOOD, usage: { input: 40, output: 12 } });
    const res = await call('/ai-code-reviewer', { code_diff: '+const x = 42;' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(GOOD);
    const sent = t.oai.requests[0].body;
    expect(sent.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'reviewer', schema: REVIEW, strict: true } });
    expect(sent.messages).toEqual([{ role: 'user', content: 'Review this diff:\n+const x = 42;' }]);
    expect(res.headers.get('x-modelgate-input-tokens')).toBe('40');
    expect(res.headers.get('x-modelgate-output-tokens')).toBe('12');
    expect(res.headers.get('x-modelgate-prompt-version')).toBe('v1');
    expect(t.usage.at(-1)).toMatchObject({ api: 'prompt', prompt: 'reviewer', status: 200, inputTokens: 40, outputTokens: 12 });
  });

  it('asks Anthropic by forced tool use, the tool input being the answer', async () => {
    t.ant.enqueue({ structured: GOOD });
    const res = await call('/v1/apps/code-reviewer', { code_diff: '+x' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(GOOD);
    const sent = t.ant.requests[0].body;
    expect(sent.tools).toEqual([{ name: 'reviewer-claude', description: expect.any(String), input_schema: REVIEW }]);
    expect(sent.tool_choice).toEqual({ type: 'tool', name: 'reviewer-claude' });
  });

  it('asks Bedrock by a forced tool in its toolConfig', async () => {
    t.brk.enqueue({ structured: GOOD });
    const res = await call('/v1/apps/code-reviewer-bedrock', { code_diff: '+x' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(GOOD);
    expect(t.brk.requests[0].body.toolConfig).toEqual({
      tools: [{ toolSpec: { name: 'reviewer-bedrock', description: expect.any(String), inputSchema: { json: REVIEW } } }],
      toolChoice: { tool: { name: 'reviewer-bedrock' } },
    });
  });

  it('asks Gemini by a response schema', async () => {
    t.gem.enqueue({ structured: GOOD });
    const res = await call('/v1/apps/code-reviewer-gemini', { code_diff: '+x' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(GOOD);
    expect(t.gem.requests[0].body.generationConfig).toMatchObject({ responseMimeType: 'application/json', responseJsonSchema: REVIEW });
  });

  it('asks once more when the answer is off the schema, counting both answers', async () => {
    t.ant.enqueue({ structured: { review_comment: 7, severity: 'info' }, usage: { input: 10, output: 5 } });
    t.ant.enqueue({ structured: GOOD, usage: { input: 10, output: 6 } });
    const res = await call('/v1/apps/code-reviewer', { code_diff: '+x' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(GOOD);
    expect(t.ant.requests).toHaveLength(2);
    expect(t.usage.at(-1)).toMatchObject({ inputTokens: 20, outputTokens: 11 });
  });

  it('answers 502 naming the schema error when the second answer is off the schema too', async () => {
    t.oai.enqueue({ structured: { review_comment: 'ok', severity: 'blocker' } }, { reply: 'Looks good to me!' });
    const res = await call('/ai-code-reviewer', { code_diff: '+x' });
    expect(res.status).toBe(502);
    const { error } = (await res.json()) as any;
    expect(error).toMatchObject({ type: 'api_error', code: 'response_schema_mismatch' });
    expect(error.message).toBe(
      'The model\'s answer does not match the response schema of prompt "reviewer" (asked twice): the answer is not JSON.',
    );
    expect(t.oai.requests).toHaveLength(2);
    expect(t.ant.requests).toHaveLength(0);
    expect(t.usage.at(-1)).toMatchObject({ status: 502, error: 'response_schema_mismatch' });
  });

  it('counts the tokens of an answer off the schema when the request then fails upstream', async () => {
    t.ant.enqueue({ structured: { review_comment: 7, severity: 'info' }, usage: { input: 10, output: 5 } }, { status: 400 });
    const res = await call('/v1/apps/code-reviewer', { code_diff: '+x' });
    expect(res.status).toBe(400);
    expect(t.ant.requests).toHaveLength(2);
    expect(t.usage.at(-1)).toMatchObject({ status: 400, inputTokens: 10, outputTokens: 5 });
  });

  it("asks once more only within the route's timeout", async () => {
    t.ant.enqueue({ structured: { review_comment: 7, severity: 'info' }, delayMs: 1000 }, { structured: GOOD, delayMs: 1000 });
    const res = await call('/v1/apps/quick-review', { code_diff: '+x' });
    expect(res.status).toBe(504);
    expect(t.ant.requests).toHaveLength(2);
  });

  it('names the schema error of the last answer', async () => {
    t.oai.enqueue({ structured: { review_comment: 'ok' } }, { structured: { review_comment: 'ok', severity: 'blocker' } });
    const { error } = (await (await call('/ai-code-reviewer', { code_diff: '+x' })).json()) as any;
    expect(error.message).toMatch(/: response\/severity must be equal to one of the allowed values\.$/);
  });

  it('answers 400 naming the field of a bad body, before any provider is called', async () => {
    for (const [body, message, param] of [
      [{}, "body must have required property 'code_diff'", 'body/code_diff'],
      [{ code_diff: 3 }, 'body/code_diff must be string', 'body/code_diff'],
      [{ code_diff: '+x', extra: 1 }, 'body must NOT have additional properties', 'body/extra'],
    ] as const) {
      const res = await call('/ai-code-reviewer', body);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: { message, type: 'invalid_request_error', param, code: 'invalid_request_body' } });
    }
    expect(t.oai.requests).toHaveLength(0);
    expect(t.usage.at(-1)).toMatchObject({ prompt: 'reviewer', status: 400, error: 'invalid_request_body' });
  });

  it('is refused to a consumer no policy grants it (403) and without credentials (401), and takes only POST', async () => {
    expect((await call('/ai-code-reviewer', { code_diff: '+x' }, {}, KEYS.bob)).status).toBe(403);
    expect((await fetch(`${t.gateway.url}/ai-code-reviewer`, { method: 'POST', body: '{}' })).status).toBe(401);
    const get = await fetch(`${t.gateway.url}/ai-code-reviewer`, { headers: { authorization: `Bearer ${KEYS.alice}` } });
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST']);
  });

  it("applies the caller's redaction before the model sees the body, and the route's cache to the JSON answer", async () => {
    t.oai.enqueue({ structured: GOOD });
    const body = { code_diff: '+// ask ann@example.com' };
    const first = await call('/v1/apps/cached-review', body);
    const second = await call('/v1/apps/cached-review', body);
    expect([first.headers.get('x-cache'), second.headers.get('x-cache')]).toEqual(['miss', 'hit']);
    expect(await second.json()).toEqual(GOOD);
    expect(t.oai.requests).toHaveLength(1);
    expect(JSON.stringify(t.oai.requests[0].body.messages)).not.toContain('ann@example.com');
  });

  it('does not stream', async () => {
    const res = await call('/ai-code-reviewer', { code_diff: '+x' }, { accept: 'text/event-stream' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.code).toBe('stream_unsupported');
  });
});

describe('an exposed text prompt (no response schema)', () => {
  it('answers a chat completion, and streams on accept: text/event-stream', async () => {
    t.ant.enqueue({ reply: 'It adds x.' }, { reply: 'It adds x.' });
    const plain: any = await (await call('/v1/apps/explain', { code_diff: '+x' }, {}, KEYS.bob)).json();
    expect(plain.choices[0].message.content).toBe('It adds x.');
    const res = await call('/v1/apps/explain', { code_diff: '+x' }, { accept: 'text/event-stream' }, KEYS.bob);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text();
    expect(text).toContain('"content":"It "');
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(t.ant.requests[1].body.stream).toBe(true);
  });
});

describe('/v1/prompts/{name} of an exposed prompt', () => {
  it('keeps working with {variables}', async () => {
    t.oai.enqueue({ reply: 'fine' });
    const res = await fetch(`${t.baseURL}/prompts/reviewer`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.alice}`, 'content-type': 'application/json' },
      body: JSON.stringify({ variables: { code_diff: '+x' } }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).choices[0].message.content).toBe('fine');
  });
});

describe('structured output through the OpenAI SDK', () => {
  const Review = z.object({ review_comment: z.string(), severity: z.enum(['info', 'major']) });
  const client = () => new OpenAI({ apiKey: KEYS.alice, baseURL: t.baseURL, maxRetries: 0 });

  for (const [route, mock] of [
    ['chat', 'oai'],
    ['claude', 'ant'],
  ] as const) {
    it(`parses the answer of route ${route} (${mock === 'oai' ? 'json_schema' : 'forced tool use'})`, async () => {
      t[mock].enqueue({ structured: GOOD });
      const completion = await client().chat.completions.parse({
        model: route,
        messages: [{ role: 'user', content: 'Review +x' }],
        response_format: zodResponseFormat(Review, 'review'),
      });
      expect(completion.choices[0]!.message.parsed).toEqual(GOOD);
    });
  }
});

describe('GET /openapi.json', () => {
  const openApi = async (key?: string) =>
    fetch(`${t.gateway.url}/openapi.json`, { headers: key ? { authorization: `Bearer ${key}` } : {} });

  it('is a valid OpenAPI 3.1 document of what the caller may use', async () => {
    const res = await openApi(KEYS.alice);
    expect(res.status).toBe(200);
    const doc: any = await res.json();
    await SwaggerParser.validate(structuredClone(doc));
    expect(doc.paths['/ai-code-reviewer'].post.requestBody.content['application/json'].schema).toEqual(defaultRequestSchema(VARIABLES));
    expect(doc.paths['/ai-code-reviewer'].post.responses['200'].content['application/json'].schema).toEqual(REVIEW);
    expect(doc.components.schemas.ChatModel.enum).toEqual(['bedrock', 'cached', 'chat', 'claude', 'claude-quick', 'gemini']);
    expect(doc.components.schemas.PromptName.enum).toEqual([
      'explainer',
      'greet',
      'reviewer',
      'reviewer-bedrock',
      'reviewer-cached',
      'reviewer-claude',
      'reviewer-gemini',
      'reviewer-quick',
    ]);
  });

  it('leaves out the prompts, paths and models another caller may not use', async () => {
    const doc: any = await (await openApi(KEYS.bob)).json();
    await SwaggerParser.validate(structuredClone(doc));
    expect(Object.keys(doc.paths).filter((p) => !p.startsWith('/v1/') || p.startsWith('/v1/apps') || p.startsWith('/v1/prompts'))).toEqual([
      '/v1/prompts/{name}',
      '/v1/apps/explain',
      '/openapi.json',
    ]);
    expect(doc.paths['/v1/embeddings']).toBeUndefined();
    expect(doc.components.schemas.ChatModel.enum).toEqual(['chat']);
    expect(doc.components.schemas.PromptName.enum).toEqual(['explainer']);
  });

  it('needs a credential', async () => {
    expect((await openApi()).status).toBe(401);
  });
});
