// The Bedrock mock, held to the Converse wire format: requests signed with the Smithy SigV4 signer (as the AWS SDK
// signs them), converse-stream answers decoded with the Smithy event-stream codec.
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  BEDROCK_TEST_CREDENTIALS,
  BEDROCK_TEST_REGION,
  Sha256,
  startMockBedrock,
  type AwsCredentials,
  type MockUpstream,
} from './index.ts';

let brk: MockUpstream;
beforeAll(async () => {
  brk = await startMockBedrock({ credentials: BEDROCK_TEST_CREDENTIALS, region: BEDROCK_TEST_REGION });
});
afterAll(() => brk.close());
beforeEach(() => brk.reset());

const MODEL_ID = 'anthropic.claude-3-5-haiku-20241022-v1:0';
const hi = { messages: [{ role: 'user', content: [{ text: 'hi' }] }] };

interface Sent {
  credentials?: AwsCredentials;
  /** Sent instead of the signed body. */
  tamperedBody?: string;
  unsigned?: boolean;
  /** Leave x-amz-content-sha256 out (optional for services other than S3). */
  noPayloadHeader?: boolean;
  mock?: MockUpstream;
}

/** A fetch Response whose JSON the tests read without declaring its type. */
type Reply = Omit<Response, 'json'> & { json(): Promise<any> };

async function call(operation: 'converse' | 'converse-stream', body: object, sent: Sent = {}): Promise<Reply> {
  const url = new URL(`/model/${encodeURIComponent(MODEL_ID)}/${operation}`, (sent.mock ?? brk).baseUrl);
  const text = JSON.stringify(body);
  const request = {
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query: {},
    headers: { host: url.host, 'content-type': 'application/json' },
    body: text,
  };
  const credentials = sent.credentials ?? BEDROCK_TEST_CREDENTIALS;
  const signer = new SignatureV4({
    service: 'bedrock',
    region: BEDROCK_TEST_REGION,
    credentials,
    sha256: Sha256,
    applyChecksum: !sent.noPayloadHeader,
  });
  const { host: _host, ...headers } = sent.unsigned ? request.headers : (await signer.sign(request)).headers;
  return fetch(url, { method: 'POST', headers, body: sent.tamperedBody ?? text });
}

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => new Uint8Array(Buffer.from(text, 'utf8')),
);

/** Splits a body into event-stream messages by their length preludes and decodes each. */
function decodeFrames(bytes: Uint8Array): { headers: Record<string, unknown>; payload: any }[] {
  const frames = [];
  for (let at = 0; at < bytes.byteLength; ) {
    const length = new DataView(bytes.buffer, bytes.byteOffset + at, 4).getUint32(0);
    const message = codec.decode(bytes.subarray(at, at + length));
    const headers = Object.fromEntries(Object.entries(message.headers).map(([name, h]) => [name, h.value]));
    frames.push({ headers, payload: JSON.parse(Buffer.from(message.body).toString('utf8')) });
    at += length;
  }
  return frames;
}

const stream = async (body: object) => {
  const res = await call('converse-stream', body);
  expect(res.headers.get('content-type')).toBe('application/vnd.amazon.eventstream');
  return decodeFrames(new Uint8Array(await res.arrayBuffer()));
};

describe('mock Bedrock Converse', () => {
  it('answers converse with the message, stop reason, usage and metrics', async () => {
    brk.enqueue({ reply: 'bonjour', usage: { input: 5, output: 1, cacheRead: 10, cacheWrite: 2 } });
    const res = await call('converse', { ...hi, system: [{ text: 'be brief' }], inferenceConfig: { maxTokens: 100 } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      output: { message: { role: 'assistant', content: [{ text: 'bonjour' }] } },
      stopReason: 'end_turn',
      usage: { inputTokens: 5, outputTokens: 1, totalTokens: 18, cacheReadInputTokens: 10, cacheWriteInputTokens: 2 },
      metrics: { latencyMs: 100 },
    });
    expect(brk.requests[0].path).toBe('/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse');
    expect(brk.requests[0].body.system).toEqual([{ text: 'be brief' }]);
  });

  it('answers converse with a toolUse block, and stops at maxTokens', async () => {
    brk.enqueue(
      { toolCall: { id: 'tooluse_1', name: 'get_weather', arguments: { city: 'Paris' } } },
      { reply: 'a reply longer than two tokens' },
    );
    const tool = await (await call('converse', hi)).json();
    expect(tool.output.message.content).toEqual([{ toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Paris' } } }]);
    expect(tool.stopReason).toBe('tool_use');
    const cut = await (await call('converse', { ...hi, inferenceConfig: { maxTokens: 2 } })).json();
    expect(cut).toMatchObject({
      stopReason: 'max_tokens',
      output: { message: { content: [{ text: 'a reply ' }] } },
      usage: { outputTokens: 2 },
    });
  });

  it('streams messageStart .. metadata as event-stream frames', async () => {
    brk.enqueue({ reply: 'one two three', usage: { input: 3, output: 3 } });
    const frames = await stream(hi);
    expect(frames.map((f) => f.headers[':event-type'])).toEqual([
      'messageStart',
      ...Array(3).fill('contentBlockDelta'),
      'contentBlockStop',
      'messageStop',
      'metadata',
    ]);
    for (const f of frames) expect(f.headers).toMatchObject({ ':message-type': 'event', ':content-type': 'application/json' });
    expect(frames[0].payload).toMatchObject({ role: 'assistant', p: expect.any(String) });
    expect(frames[1].payload).toMatchObject({ contentBlockIndex: 0, delta: { text: 'one ' } });
    expect(frames.map((f) => f.payload.delta?.text ?? '').join('')).toBe('one two three');
    expect(frames[5].payload).toMatchObject({ stopReason: 'end_turn' });
    expect(frames[6].payload).toMatchObject({ usage: { inputTokens: 3, outputTokens: 3, totalTokens: 6 }, metrics: { latencyMs: 100 } });
  });

  it('streams a tool use as contentBlockStart and partial JSON input deltas', async () => {
    brk.enqueue({ toolCall: { name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' } } });
    const frames = await stream(hi);
    expect(frames[1]).toMatchObject({
      headers: { ':event-type': 'contentBlockStart' },
      payload: { contentBlockIndex: 0, start: { toolUse: { toolUseId: 'tooluse_mock01', name: 'get_weather' } } },
    });
    const input = frames.filter((f) => f.headers[':event-type'] === 'contentBlockDelta').map((f) => f.payload.delta.toolUse.input);
    expect(input.length).toBeGreaterThan(1);
    expect(JSON.parse(input.join(''))).toEqual({ city: 'Paris', unit: 'celsius' });
    expect(frames.at(-2)?.payload.stopReason).toBe('tool_use');
  });

  it('verifies SigV4: a wrong secret, a missing signature or a body changed after signing get 403', async () => {
    expect((await call('converse', hi)).status).toBe(200);
    const refusals = [
      await call('converse', hi, { credentials: { ...BEDROCK_TEST_CREDENTIALS, secretAccessKey: 'wrong' } }),
      await call('converse', hi, { unsigned: true }),
      await call('converse', hi, { tamperedBody: JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'ho' }] }] }) }),
    ];
    const messages = [];
    for (const res of refusals) {
      expect(res.status).toBe(403);
      expect(res.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
      messages.push((await res.json()).message);
    }
    expect(messages[0]).toMatch(/^The request signature we calculated does not match/);
    expect(messages[1]).toBe('Missing Authentication Token');
    expect(messages[2]).toBe(messages[0]);
  });

  it('verifies signatures with a session token, and without a payload hash header', async () => {
    const credentials = { ...BEDROCK_TEST_CREDENTIALS, sessionToken: 'mock-session-token' };
    const mock = await startMockBedrock({ credentials });
    try {
      expect((await call('converse', hi, { mock, credentials })).status).toBe(200);
      expect((await call('converse', hi, { mock, credentials, noPayloadHeader: true })).status).toBe(200);
      expect(mock.requests[1].headers['x-amz-content-sha256']).toBeUndefined();
      expect((await call('converse', hi, { mock })).status).toBe(403);
    } finally {
      await mock.close();
    }
  });

  it('answers errors in the Bedrock shape, retry-after included when asked', async () => {
    brk.enqueue(
      { status: 429, retryAfterSeconds: 7, errorMessage: 'Too many requests, please wait before trying again.' },
      { status: 503 },
      { status: 500 },
    );
    const throttled = await call('converse', hi);
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('x-amzn-errortype')).toBe('ThrottlingException');
    expect(throttled.headers.get('retry-after')).toBe('7');
    expect(await throttled.json()).toEqual({ message: 'Too many requests, please wait before trying again.' });
    expect((await call('converse', hi)).headers.get('x-amzn-errortype')).toBe('ServiceUnavailableException');
    expect((await call('converse', hi)).headers.get('x-amzn-errortype')).toBe('InternalServerException');
    const invalid = await call('converse', { messages: [{ role: 'assistant', content: [{ text: 'x' }] }] });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect((await invalid.json()).message).toContain('must start with a user message');
  });

  it('fails a stream with an exception frame, or resets it', async () => {
    brk.enqueue({ streamError: 429, errorMessage: 'slow down' }, { reset: 'mid-stream' });
    const frames = await stream(hi);
    expect(frames.map((f) => f.headers[':message-type'])).toEqual(['event', 'exception']);
    expect(frames[1]).toEqual({
      headers: { ':exception-type': 'throttlingException', ':content-type': 'application/json', ':message-type': 'exception' },
      payload: { message: 'slow down' },
    });
    const reset = await call('converse-stream', hi);
    await expect(reset.arrayBuffer()).rejects.toThrow();
  });
});
