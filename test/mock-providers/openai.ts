// A mock OpenAI upstream (also Azure OpenAI deployment paths and OpenAI-compatible servers such as vLLM):
// chat completions as JSON or SSE chunks with `stream_options.include_usage`, the Responses API (responses.ts),
// embeddings, models, error bodies.
import type http from 'node:http';
import { answerResponses, responsesStreamError } from './responses.ts';
import {
  estimateTokens,
  retryAfter,
  sendJson,
  splitPieces,
  startMock,
  startSse,
  type MockOptions,
  type MockUpstream,
  type WireFormat,
} from './server.ts';

const CREATED = 1_700_000_000;

const ERROR_SHAPES: Record<number, { type: string; code: string | null }> = {
  400: { type: 'invalid_request_error', code: null },
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  403: { type: 'invalid_request_error', code: 'unsupported_country_region_territory' },
  404: { type: 'invalid_request_error', code: 'model_not_found' },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
};

const openai: WireFormat = {
  credential(req) {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) return auth.slice(7);
    return req.headers['api-key'] as string | undefined;
  },

  sendError(res, status, message, retryAfterSeconds) {
    sendJson(res, status, errorBody(status, message), retryAfter(retryAfterSeconds));
  },

  streamError(req, res, status, message) {
    if (req.path.split('?')[0].endsWith('/responses')) return responsesStreamError(req, res, status, message);
    res.end(`data: ${JSON.stringify(errorBody(status, message))}\n\n`);
  },

  async respond(req, res, b, pause) {
    const path = req.path.split('?')[0];
    if (req.method === 'GET' && path.endsWith('/models')) {
      return sendJson(res, 200, { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', created: CREATED, owned_by: 'mock' }] });
    }
    if (path.endsWith('/embeddings')) return embeddings(req.body, res, b.usage?.input);
    if (path.endsWith('/responses'))
      return answerResponses(req, res, b, pause, (status, message) => openai.sendError(res, status, message));
    if (!path.endsWith('/chat/completions')) return openai.sendError(res, 404, `Unknown path ${path}`);
    const body = req.body;
    if (body.stream_options !== undefined && body.stream !== true)
      return openai.sendError(res, 400, "The 'stream_options' parameter is only allowed when 'stream' is enabled.");
    const format = structuredFormatProblem(body.response_format);
    if (format) return openai.sendError(res, 400, format);
    if (body.response_format?.type === 'json_schema' && b.structured !== undefined) b.replyText = JSON.stringify(b.structured);
    const model = String(body.model ?? 'unknown');
    const promptTokens = b.usage?.input ?? estimateTokens(JSON.stringify(body.messages ?? ''));
    const completionTokens = b.usage?.output ?? estimateTokens(b.replyText);
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
      ...(b.usage?.cacheRead === undefined ? {} : { prompt_tokens_details: { cached_tokens: b.usage.cacheRead } }),
    };
    const id = `chatcmpl-mock${req.path.length}`;
    const toolCalls = b.toolCall && [
      {
        id: b.toolCall.id ?? 'call_mock1',
        type: 'function',
        function: { name: b.toolCall.name, arguments: JSON.stringify(b.toolCall.arguments) },
      },
    ];
    const finishReason = toolCalls ? 'tool_calls' : 'stop';

    if (!body.stream) {
      const message = toolCalls
        ? { role: 'assistant', content: null, tool_calls: toolCalls, refusal: null }
        : { role: 'assistant', content: b.replyText, refusal: null };
      return sendJson(
        res,
        200,
        {
          id,
          object: 'chat.completion',
          created: CREATED,
          model,
          choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
          usage,
          system_fingerprint: 'fp_mock',
        },
        { 'x-request-id': 'req_mock' },
      );
    }

    const includeUsage = body.stream_options?.include_usage === true;
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: CREATED, model, system_fingerprint: 'fp_mock', choices, ...(includeUsage ? { usage: null } : {}), ...extra })}\n\n`;
    const deltas: unknown[] = [{ role: 'assistant', content: toolCalls ? null : '', refusal: null }];
    if (toolCalls) {
      const call = toolCalls[0];
      deltas.push({ tool_calls: [{ index: 0, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] });
      for (const part of splitPieces(call.function.arguments, 8))
        deltas.push({ tool_calls: [{ index: 0, function: { arguments: part } }] });
    } else {
      for (const word of b.replyText.split(/(?<= )/)) deltas.push({ content: word });
    }

    startSse(res, { 'x-request-id': 'req_mock' });
    for (const [i, delta] of deltas.entries()) {
      res.write(chunk([{ index: 0, delta, logprobs: null, finish_reason: null }]));
      if (!(await pause(i === 0))) return;
    }
    res.write(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: finishReason }]));
    if (includeUsage) res.write(chunk([], { usage }));
    res.end('data: [DONE]\n\n');
  },
};

/** What OpenAI refuses in a `response_format` (a json_schema needs a valid name and a schema). */
function structuredFormatProblem(format: any): string | undefined {
  if (format === undefined || format.type === 'text' || format.type === 'json_object') return undefined;
  if (format.type !== 'json_schema')
    return `Invalid value: '${format.type}'. Supported values are: 'json_object', 'json_schema', and 'text'.`;
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(format.json_schema?.name ?? '')) return "Invalid 'response_format.json_schema.name'.";
  if (typeof format.json_schema.schema !== 'object') return "Missing required parameter: 'response_format.json_schema.schema'.";
  return undefined;
}

function embeddings(body: any, res: http.ServerResponse, inputTokens?: number) {
  const inputs: unknown[] = Array.isArray(body.input) ? body.input : [body.input];
  const data = inputs.map((input, index) => {
    const seed = String(input).length;
    return { object: 'embedding', index, embedding: Array.from({ length: 8 }, (_, i) => ((seed * (i + 1)) % 97) / 97) };
  });
  const tokens = inputTokens ?? estimateTokens(inputs.join(' '));
  sendJson(res, 200, { object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
}

function errorBody(status: number, message: string) {
  const shape = ERROR_SHAPES[status] ?? { type: status >= 500 ? 'server_error' : 'invalid_request_error', code: null };
  return { error: { message, type: shape.type, param: null, code: shape.code } };
}

/** Starts a mock OpenAI API on 127.0.0.1 (random port). Point clients at `mock.baseUrl`. */
export function startMockOpenAI(options: MockOptions = {}): Promise<MockUpstream> {
  return startMock(openai, options, 'Hello from the mock OpenAI.');
}
