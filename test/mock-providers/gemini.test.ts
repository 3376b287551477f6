// The Gemini mock, held to the Generative Language wire format with plain fetch: JSON, CRLF-framed SSE, JSON arrays.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockGemini, type MockUpstream } from './index.ts';

const KEY = 'AIza-mock';
let gem: MockUpstream;
beforeAll(async () => {
  gem = await startMockGemini({ apiKey: KEY });
});
afterAll(() => gem.close());
beforeEach(() => gem.reset());

const hi = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };

/** A fetch Response whose JSON the tests read without declaring its type. */
type Reply = Omit<Response, 'json'> & { json(): Promise<any> };

/** POSTs to the model's method, with the key in `x-goog-api-key` unless `key` is null. */
function post(method: string, body: object, { key = KEY, query = '' }: { key?: string | null; query?: string } = {}): Promise<Reply> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(key === null ? {} : { 'x-goog-api-key': key }) };
  return fetch(`${gem.baseUrl}/models/gemini-2.5-flash:${method}${query}`, { method: 'POST', headers, body: JSON.stringify(body) });
}

/** The `data:` payloads of an SSE body, however its lines end. */
async function sseData(res: Pick<Response, 'text'>): Promise<any[]> {
  const text = await res.text();
  return text
    .split(/\r?\n\r?\n/)
    .filter((event) => event.startsWith('data: '))
    .map((event) => JSON.parse(event.slice(6)));
}

describe('mock Gemini', () => {
  it('answers generateContent with the candidate and usageMetadata', async () => {
    gem.enqueue({ reply: 'bonjour', usage: { input: 5, output: 1, cacheRead: 3 } });
    const res = await post('generateContent', {
      ...hi,
      systemInstruction: { parts: [{ text: 'be brief' }] },
      generationConfig: { maxOutputTokens: 100 },
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.candidates[0]).toMatchObject({ content: { role: 'model', parts: [{ text: 'bonjour' }] }, finishReason: 'STOP' });
    expect(body.usageMetadata).toMatchObject({
      promptTokenCount: 5,
      candidatesTokenCount: 1,
      totalTokenCount: 6,
      cachedContentTokenCount: 3,
    });
    expect(body.modelVersion).toBe('gemini-2.5-flash');
    expect(gem.requests[0]).toMatchObject({
      path: '/v1beta/models/gemini-2.5-flash:generateContent',
      body: { systemInstruction: { parts: [{ text: 'be brief' }] } },
    });
  });

  it('answers a functionCall part, and MAX_TOKENS at maxOutputTokens', async () => {
    gem.enqueue({ toolCall: { name: 'get_weather', arguments: { city: 'Paris' } } }, { reply: 'a reply longer than two tokens' });
    const tools = [
      { functionDeclarations: [{ name: 'get_weather', parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } } } }] },
    ];
    const call = await (await post('generateContent', { ...hi, tools })).json();
    expect(call.candidates[0]).toMatchObject({
      content: { parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
      finishReason: 'STOP',
    });
    const cut = await (await post('generateContent', { ...hi, generationConfig: { maxOutputTokens: 2 } })).json();
    expect(cut.candidates[0]).toMatchObject({ content: { parts: [{ text: 'a reply ' }] }, finishReason: 'MAX_TOKENS' });
  });

  it('streams SSE chunks framed with CRLF; the last has finishReason and the full usage', async () => {
    gem.enqueue({ reply: 'one two three', usage: { input: 3, output: 3 } });
    const res = await post('streamGenerateContent', hi, { query: '?alt=sse' });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const raw = await res.clone().text();
    expect(raw.endsWith('}\r\n\r\n')).toBe(true);
    const chunks = await sseData(res);
    expect(chunks.map((c) => c.candidates[0].content.parts[0].text).join('')).toBe('one two three');
    expect(chunks.map((c) => c.candidates[0].finishReason)).toEqual([undefined, undefined, 'STOP']);
    expect(chunks[0].usageMetadata).toEqual({ promptTokenCount: 3, totalTokenCount: 3 });
    expect(chunks[2].usageMetadata).toMatchObject({ promptTokenCount: 3, candidatesTokenCount: 3, totalTokenCount: 6 });
  });

  it('streams a function call, and a JSON array without alt=sse', async () => {
    gem.enqueue({ toolCall: { name: 'get_weather', arguments: { city: 'Paris' } } }, { reply: 'one two' });
    const [call] = await sseData(await post('streamGenerateContent', hi, { query: '?alt=sse' }));
    expect(call.candidates[0]).toMatchObject({
      content: { parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
      finishReason: 'STOP',
    });
    const array = await (await post('streamGenerateContent', hi)).json();
    expect(array.map((c: any) => c.candidates[0].content.parts[0].text)).toEqual(['one ', 'two']);
  });

  it('checks the API key as Google does: header or ?key=, 403 without, 400 when wrong', async () => {
    expect((await post('generateContent', hi, { key: null, query: `?key=${KEY}` })).status).toBe(200);
    const missing = await post('generateContent', hi, { key: null });
    expect(missing.status).toBe(403);
    expect((await missing.json()).error).toMatchObject({ code: 403, status: 'PERMISSION_DENIED' });
    const wrong = await post('generateContent', hi, { key: 'AIza-wrong' });
    expect(wrong.status).toBe(400);
    expect((await wrong.json()).error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT', details: [{ reason: 'API_KEY_INVALID' }] });
  });

  it('answers errors in the google.rpc shape, the retry delay in RetryInfo', async () => {
    gem.enqueue(
      { status: 429, retryAfterSeconds: 7, errorMessage: 'Resource has been exhausted (e.g. check quota).' },
      { status: 500 },
      { status: 503 },
    );
    const limited = await post('generateContent', hi);
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({
      error: {
        code: 429,
        message: 'Resource has been exhausted (e.g. check quota).',
        status: 'RESOURCE_EXHAUSTED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' }],
      },
    });
    expect((await (await post('generateContent', hi)).json()).error.status).toBe('INTERNAL');
    expect((await (await post('generateContent', hi)).json()).error.status).toBe('UNAVAILABLE');
    const openaiShaped = await post('generateContent', { ...hi, messages: [] });
    expect(openaiShaped.status).toBe(400);
    expect((await openaiShaped.json()).error.message).toBe('Invalid JSON payload received. Unknown name "messages": Cannot find field.');
    const badRole = await post('generateContent', { contents: [{ role: 'assistant', parts: [{ text: 'x' }] }] });
    expect((await badRole.json()).error.message).toBe('Please use a valid role: user, model.');
  });

  it('fails a stream with an error chunk, or resets it', async () => {
    gem.enqueue({ reply: 'one two three', streamError: 503, errorMessage: 'The model is overloaded.' }, { reset: 'mid-stream' });
    const chunks = await sseData(await post('streamGenerateContent', hi, { query: '?alt=sse' }));
    expect(chunks).toHaveLength(2);
    expect(chunks[1]).toEqual({ error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } });
    const reset = await post('streamGenerateContent', hi, { query: '?alt=sse' });
    await expect(reset.text()).rejects.toThrow();
  });
});
