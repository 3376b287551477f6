// A mock Gemini API (Generative Language, v1beta and v1): `models/{model}:generateContent` as JSON and
// `:streamGenerateContent` as SSE with `alt=sse` (framed with CRLF, as Google sends it) or else a streamed JSON array;
// functionCall parts, usageMetadata, the API key in `x-goog-api-key` or `?key=`, google.rpc-shaped errors.
import {
  estimateTokens,
  limitReply,
  sendJson,
  startMock,
  startSse,
  writeEvents,
  type MockOptions,
  type MockUpstream,
  type RecordedRequest,
  type WireFormat,
} from './server.ts';

const STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};
const PATH = /^\/(v1beta|v1)\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;
/** GenerateContentRequest's fields (JSON also takes them in snake_case); any other name is refused. */
const FIELDS = new Set([
  'model',
  'contents',
  'tools',
  'toolConfig',
  'safetySettings',
  'systemInstruction',
  'generationConfig',
  'cachedContent',
]);
const RESPONSE_ID = 'mockResponse01';
const MISSING_KEY =
  "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.";
const INVALID_KEY_INFO = {
  '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
  reason: 'API_KEY_INVALID',
  domain: 'googleapis.com',
  metadata: { service: 'generativelanguage.googleapis.com' },
};

function gemini(apiKey: string | undefined): WireFormat {
  const format: WireFormat = {
    basePath: '/v1beta',

    authorize(req, res) {
      const given = req.headers['x-goog-api-key'] ?? query(req).get('key') ?? undefined;
      if (apiKey === undefined || given === apiKey) return true;
      if (given === undefined) sendJson(res, 403, errorBody(403, MISSING_KEY));
      else sendJson(res, 400, errorBody(400, 'API key not valid. Please pass a valid API key.', [INVALID_KEY_INFO]));
      return false;
    },

    // Google states how long to wait in the body (google.rpc.RetryInfo), not in a retry-after header.
    sendError(res, status, message, retryAfterSeconds) {
      const retry =
        retryAfterSeconds === undefined
          ? []
          : [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryAfterSeconds}s` }];
      sendJson(res, status, errorBody(status, message, retry));
    },

    async respond(req, res, b, pause) {
      const match = PATH.exec(req.path.split('?')[0]);
      if (req.method !== 'POST' || !match) return format.sendError(res, 404, `Unknown path ${req.path}`);
      const problem = invalidRequest(req.body);
      if (problem) return format.sendError(res, 400, problem);
      const body = req.body;
      const model = decodeURIComponent(match[2]);
      const promptTokenCount =
        b.usage?.input ?? estimateTokens(JSON.stringify([body.systemInstruction ?? body.system_instruction ?? '', body.contents]));
      const config = body.generationConfig ?? body.generation_config;
      // A response schema (`responseJsonSchema`) is answered with the scripted structured answer as the text.
      if (config?.responseJsonSchema !== undefined && b.structured !== undefined) b.replyText = JSON.stringify(b.structured);
      const { text, outputTokens, truncated } = limitReply(b, config?.maxOutputTokens ?? config?.max_output_tokens);
      const cacheRead = b.usage?.cacheRead;
      const usageMetadata = {
        promptTokenCount,
        candidatesTokenCount: outputTokens,
        totalTokenCount: promptTokenCount + outputTokens,
        ...(cacheRead === undefined ? {} : { cachedContentTokenCount: cacheRead }),
        promptTokensDetails: [{ modality: 'TEXT', tokenCount: promptTokenCount }],
      };
      // Every chunk carries usageMetadata; only the last one counts the candidates' tokens.
      const chunk = (parts: object[], last: boolean) => ({
        candidates: [{ content: { parts, role: 'model' }, ...(last ? { finishReason: truncated ? 'MAX_TOKENS' : 'STOP' } : {}), index: 0 }],
        usageMetadata: last ? usageMetadata : { promptTokenCount, totalTokenCount: promptTokenCount },
        modelVersion: model,
        responseId: RESPONSE_ID,
      });
      const call = b.toolCall && { functionCall: { name: b.toolCall.name, args: b.toolCall.arguments } };
      if (match[3] === 'generateContent') return sendJson(res, 200, chunk([call ?? { text }], true));

      const pieces = call ? [call] : text.split(/(?<= )/).map((word) => ({ text: word }));
      const sse = isSse(req);
      if (sse) startSse(res);
      else res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
      const frames = pieces.map((part, i) => {
        const last = i === pieces.length - 1;
        const json = JSON.stringify(chunk([part], last));
        return sse ? `data: ${json}\r\n\r\n` : `${i === 0 ? '[' : '\n,\r\n'}${json}${last ? '\n]' : ''}`;
      });
      await writeEvents(res, frames, pause);
    },

    streamError(req, res, status, message) {
      const json = JSON.stringify(errorBody(status, message));
      res.end(isSse(req) ? `data: ${json}\r\n\r\n` : `\n,\r\n${json}\n]`);
    },
  };
  return format;
}

const query = (req: RecordedRequest) => new URLSearchParams(req.path.split('?')[1] ?? '');
const isSse = (req: RecordedRequest) => query(req).get('alt') === 'sse';

function errorBody(code: number, message: string, details: object[] = []) {
  const status = STATUS[code] ?? (code >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT');
  return { error: { code, message, status, ...(details.length > 0 ? { details } : {}) } };
}

/** The checks the real API applies that a translation most easily fails, in its words. */
function invalidRequest(body: any): string | undefined {
  for (const key of Object.keys(body)) {
    const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    if (!FIELDS.has(camel)) return `Invalid JSON payload received. Unknown name "${key}": Cannot find field.`;
  }
  const contents = body.contents;
  if (!Array.isArray(contents) || contents.length === 0) return '* GenerateContentRequest.contents: contents is not specified';
  for (const [i, content] of contents.entries()) {
    if (content?.role !== undefined && content.role !== 'user' && content.role !== 'model') return 'Please use a valid role: user, model.';
    if (!Array.isArray(content?.parts) || content.parts.length === 0)
      return `* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.`;
  }
  const system = body.systemInstruction ?? body.system_instruction;
  if (system !== undefined && !Array.isArray(system?.parts)) {
    return `Invalid value at 'system_instruction' (type.googleapis.com/google.ai.generativelanguage.v1beta.Content), ${JSON.stringify(system)}`;
  }
  return undefined;
}

/** Starts a mock Gemini API on 127.0.0.1 (random port). Its base URL is `mock.baseUrl` (`origin + '/v1beta'`). */
export function startMockGemini(options: MockOptions = {}): Promise<MockUpstream> {
  return startMock(gemini(options.apiKey), options, 'Hello from the mock Gemini.');
}
