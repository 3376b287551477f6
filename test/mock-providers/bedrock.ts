// A mock AWS Bedrock Runtime Converse API: `POST /model/{modelId}/converse` as JSON and `/converse-stream` as
// application/vnd.amazon.eventstream frames messageStart .. metadata (exception frames for in-stream errors), toolUse
// blocks, request checks as the real API words them, SigV4 verification and `x-amzn-errortype` errors.
import type http from 'node:http';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import {
  estimateTokens,
  limitReply,
  retryAfter,
  sendJson,
  splitPieces,
  startMock,
  writeEvents,
  type MockOptions,
  type MockUpstream,
  type WireFormat,
} from './server.ts';
import { sigV4Problem, type AwsCredentials } from './sigv4.ts';

/** Credentials a test signs with and gives the mock to check (not AWS's: they work nowhere else). */
export const BEDROCK_TEST_CREDENTIALS: AwsCredentials = {
  accessKeyId: 'MOCKACCESSKEYID00001',
  secretAccessKey: 'mock-bedrock-secret-access-key-for-tests',
};
export const BEDROCK_TEST_REGION = 'us-east-1';

export interface BedrockMockOptions extends Omit<MockOptions, 'apiKey'> {
  /** When set, requests must carry a valid SigV4 signature (service `bedrock`) made with these, or get 403. */
  credentials?: AwsCredentials;
  /** The region the signature's scope must name (default `us-east-1`). */
  region?: string;
}

const ERROR_TYPES: Record<number, string> = {
  400: 'ValidationException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  408: 'ModelTimeoutException',
  424: 'ModelErrorException',
  429: 'ThrottlingException',
  500: 'InternalServerException',
  503: 'ServiceUnavailableException',
};
/** The exceptions ConverseStream sends inside the stream, by the status the API reference gives them. */
const STREAM_EXCEPTIONS: Record<number, string> = {
  400: 'validationException',
  424: 'modelStreamErrorException',
  429: 'throttlingException',
  503: 'serviceUnavailableException',
};
const PATH = /^\/model\/([^/]+)\/(converse|converse-stream)$/;
const REQUEST_ID = { 'x-amzn-requestid': '00000000-0000-4000-8000-00000000b3d7' };
const LATENCY_MS = 100;
const PADDING = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => new Uint8Array(Buffer.from(text, 'utf8')),
);

function bedrock(options: BedrockMockOptions): WireFormat {
  const format: WireFormat = {
    basePath: '',

    async authorize(req, res) {
      if (!options.credentials) return true;
      const problem = await sigV4Problem(req, options.credentials, options.region ?? BEDROCK_TEST_REGION, 'bedrock');
      if (problem) sendError(res, 403, 'InvalidSignatureException', problem);
      return problem === undefined;
    },

    sendError(res, status, message, retryAfterSeconds) {
      sendError(
        res,
        status,
        ERROR_TYPES[status] ?? (status >= 500 ? 'InternalServerException' : 'ValidationException'),
        message,
        retryAfterSeconds,
      );
    },

    async respond(req, res, b, pause) {
      const match = PATH.exec(req.path.split('?')[0]);
      if (req.method !== 'POST' || !match) return format.sendError(res, 404, `Unknown operation ${req.method} ${req.path}`);
      const problem = invalidRequest(req.body);
      if (problem) return format.sendError(res, 400, problem);
      const body = req.body;
      const inputTokens = b.usage?.input ?? estimateTokens(JSON.stringify([body.system ?? '', body.messages]));
      const { text, outputTokens, truncated } = limitReply(b, body.inferenceConfig?.maxTokens);
      const { cacheRead, cacheWrite } = b.usage ?? {};
      const usage = {
        inputTokens,
        outputTokens,
        totalTokens: inputTokens + outputTokens + (cacheRead ?? 0) + (cacheWrite ?? 0),
        ...(cacheRead === undefined ? {} : { cacheReadInputTokens: cacheRead }),
        ...(cacheWrite === undefined ? {} : { cacheWriteInputTokens: cacheWrite }),
      };
      // A forced tool (`toolChoice: {tool: {name}}`) is called with the scripted structured answer.
      const forced = body.toolConfig?.toolChoice?.tool?.name;
      const toolCall =
        forced && b.structured !== undefined ? { name: forced, arguments: b.structured as Record<string, unknown> } : b.toolCall;
      const stopReason = toolCall ? 'tool_use' : truncated ? 'max_tokens' : 'end_turn';
      const toolUse = toolCall && { toolUseId: b.toolCall?.id ?? 'tooluse_mock01', name: toolCall.name, input: toolCall.arguments };
      const metrics = { latencyMs: LATENCY_MS };
      if (match[2] === 'converse') {
        const content = [toolUse ? { toolUse } : { text }];
        return sendJson(res, 200, { output: { message: { role: 'assistant', content } }, stopReason, usage, metrics }, REQUEST_ID);
      }

      const events: [string, object][] = [['messageStart', { role: 'assistant' }]];
      if (toolUse) {
        events.push([
          'contentBlockStart',
          { start: { toolUse: { toolUseId: toolUse.toolUseId, name: toolUse.name } }, contentBlockIndex: 0 },
        ]);
        for (const input of splitPieces(JSON.stringify(toolUse.input), 8))
          events.push(['contentBlockDelta', { delta: { toolUse: { input } }, contentBlockIndex: 0 }]);
      } else {
        for (const word of text.split(/(?<= )/)) events.push(['contentBlockDelta', { delta: { text: word }, contentBlockIndex: 0 }]);
      }
      events.push(['contentBlockStop', { contentBlockIndex: 0 }], ['messageStop', { stopReason }], ['metadata', { usage, metrics }]);
      res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', ...REQUEST_ID });
      // Bedrock pads each event with a `p` of varying length, so that frame sizes do not give the text away.
      const frames = events.map(([type, payload], i) =>
        frame('event', type, { ...payload, p: PADDING.slice(0, 1 + ((i * 7) % PADDING.length)) }),
      );
      await writeEvents(res, frames, pause);
    },

    streamError(_req, res, status, message) {
      res.end(frame('exception', STREAM_EXCEPTIONS[status] ?? 'internalServerException', { message }));
    },
  };
  return format;
}

function sendError(res: http.ServerResponse, status: number, type: string, message: string, retryAfterSeconds?: number): void {
  sendJson(res, status, { message }, { 'x-amzn-errortype': type, ...REQUEST_ID, ...retryAfter(retryAfterSeconds) });
}

/** One event-stream message: `:event-type` (or `:exception-type`), `:content-type`, `:message-type`, a JSON payload. */
function frame(messageType: 'event' | 'exception', type: string, payload: object): Uint8Array {
  const header = (value: string) => ({ type: 'string' as const, value });
  return codec.encode({
    headers: { [`:${messageType}-type`]: header(type), ':content-type': header('application/json'), ':message-type': header(messageType) },
    body: new Uint8Array(Buffer.from(JSON.stringify(payload), 'utf8')),
  });
}

/** The checks the real API applies that a translation most easily fails, in its words. */
function invalidRequest(body: any): string | undefined {
  const messages = body.messages;
  if (!Array.isArray(messages))
    return "1 validation error detected: Value null at 'messages' failed to satisfy constraint: Member must not be null";
  const badRole = messages.findIndex((m) => m?.role !== 'user' && m?.role !== 'assistant');
  if (badRole >= 0) {
    return `1 validation error detected: Value '${messages[badRole]?.role}' at 'messages.${badRole + 1}.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]`;
  }
  if (messages[0]?.role !== 'user')
    return 'A conversation must start with a user message. Try again with a conversation that starts with a user message.';
  for (const [i, m] of messages.entries()) {
    if (i > 0 && m.role === messages[i - 1].role) {
      return 'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.';
    }
    if (!Array.isArray(m.content) || m.content.length === 0)
      return `The content field in the Message object at messages.${i} is empty. Add a ContentBlock object to the content field and try again.`;
    const blank = m.content.findIndex((block: any) => typeof block?.text === 'string' && block.text.trim() === '');
    if (blank >= 0)
      return `The text field in the ContentBlock object at messages.${i}.content.${blank} is blank. Add text to the text field, and try again.`;
  }
  if (body.system !== undefined && !Array.isArray(body.system))
    return "1 validation error detected: Value at 'system' failed to satisfy constraint: Member must be a list";
  const maxTokens = body.inferenceConfig?.maxTokens;
  if (maxTokens !== undefined && !(Number.isInteger(maxTokens) && maxTokens >= 1)) {
    return `1 validation error detected: Value '${maxTokens}' at 'inferenceConfig.maxTokens' failed to satisfy constraint: Member must have value greater than or equal to 1`;
  }
  return undefined;
}

/** Starts a mock Bedrock Runtime on 127.0.0.1 (random port); its endpoint is `mock.baseUrl` (= `mock.origin`). */
export function startMockBedrock(options: BedrockMockOptions = {}): Promise<MockUpstream> {
  return startMock(bedrock(options), options, 'Hello from the mock Bedrock.');
}
