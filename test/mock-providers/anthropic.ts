// A mock Anthropic Messages API: request checks as strict as the real one (max_tokens, roles, empty content,
// anthropic-version), JSON messages, the SSE event sequence message_start .. message_stop, tool_use blocks,
// error bodies, and count_tokens.
import {
  estimateTokens,
  retryAfter,
  sendJson,
  sseEvent,
  startMock,
  startSse,
  writeEvents,
  type MockOptions,
  type MockUpstream,
  type WireFormat,
} from './server.ts';

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

const anthropic: WireFormat = {
  // `x-api-key` is the documented header; SDK 1.x sends the key as a bearer token, which the API also takes.
  credential(req) {
    const auth = req.headers.authorization;
    return auth?.startsWith('Bearer ') ? auth.slice(7) : (req.headers['x-api-key'] as string | undefined);
  },

  sendError(res, status, message, retryAfterSeconds) {
    sendJson(
      res,
      status,
      { type: 'error', error: { type: ERROR_TYPES[status] ?? 'api_error', message }, request_id: 'req_mock' },
      retryAfter(retryAfterSeconds),
    );
  },

  async respond(req, res, b, pause) {
    const path = req.path.split('?')[0];
    const counting = path.endsWith('/v1/messages/count_tokens');
    if (!counting && !path.endsWith('/v1/messages')) return anthropic.sendError(res, 404, `Unknown path ${req.path}`);
    const problem = invalidRequest(req.headers['anthropic-version'], req.body, counting);
    if (problem) return anthropic.sendError(res, 400, problem);
    const body = req.body;
    const inputTokens = b.usage?.input ?? estimateTokens(JSON.stringify([body.system ?? '', body.messages]));
    if (counting) return sendJson(res, 200, { input_tokens: inputTokens });
    const outputTokens = b.usage?.output ?? estimateTokens(b.replyText);
    const cache = { cache_creation_input_tokens: b.usage?.cacheWrite ?? 0, cache_read_input_tokens: b.usage?.cacheRead ?? 0 };
    const id = 'msg_mock01';
    // A forced tool (`tool_choice: {type: tool}`) is called with the scripted structured answer.
    const forced = body.tool_choice?.type === 'tool' && b.structured !== undefined ? body.tool_choice.name : undefined;
    const toolCall = forced ? { name: forced, arguments: b.structured as Record<string, unknown> } : b.toolCall;
    const stopReason = toolCall ? 'tool_use' : 'end_turn';
    const block = toolCall
      ? { type: 'tool_use', id: b.toolCall?.id ?? 'toolu_mock1', name: toolCall.name, input: toolCall.arguments }
      : { type: 'text', text: b.replyText };

    if (!body.stream) {
      return sendJson(res, 200, {
        id,
        type: 'message',
        role: 'assistant',
        model: body.model,
        content: [block],
        stop_reason: stopReason,
        stop_sequence: null,
        usage: { input_tokens: inputTokens, output_tokens: outputTokens, ...cache },
      });
    }

    const events: [string, unknown][] = [
      [
        'message_start',
        {
          type: 'message_start',
          message: {
            id,
            type: 'message',
            role: 'assistant',
            model: body.model,
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { input_tokens: inputTokens, output_tokens: 1, ...cache },
          },
        },
      ],
    ];
    if (block.type === 'tool_use') {
      events.push(['content_block_start', { type: 'content_block_start', index: 0, content_block: { ...block, input: {} } }]);
      const json = JSON.stringify(block.input);
      const half = Math.ceil(json.length / 2);
      for (const part of [json.slice(0, half), json.slice(half)]) {
        events.push([
          'content_block_delta',
          { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: part } },
        ]);
      }
    } else {
      events.push(['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }]);
      events.push(['ping', { type: 'ping' }]);
      for (const word of b.replyText.split(/(?<= )/)) {
        events.push(['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: word } }]);
      }
    }
    events.push(['content_block_stop', { type: 'content_block_stop', index: 0 }]);
    events.push([
      'message_delta',
      { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: outputTokens } },
    ]);
    events.push(['message_stop', { type: 'message_stop' }]);

    startSse(res, { 'request-id': 'req_mock' });
    await writeEvents(
      res,
      events.map(([event, data]) => sseEvent(event, data)),
      pause,
    );
  },

  streamError(_req, res, status, message) {
    res.end(sseEvent('error', { type: 'error', error: { type: ERROR_TYPES[status] ?? 'api_error', message } }));
  },
};

/** The checks the real API applies that a translation most easily gets wrong. */
function invalidRequest(version: unknown, body: any, counting: boolean): string | undefined {
  if (typeof version !== 'string') return 'anthropic-version: header is required';
  if (typeof body.model !== 'string') return 'model: Field required';
  if (!counting && !Number.isInteger(body.max_tokens)) return 'max_tokens: Field required';
  if (!Array.isArray(body.messages) || body.messages.length === 0) return 'messages: Field required';
  for (const [i, m] of body.messages.entries()) {
    // System turns within the messages are taken (Claude Code sends them).
    if (m.role !== 'user' && m.role !== 'assistant' && m.role !== 'system')
      return `messages.${i}.role: Input should be 'user', 'assistant' or 'system'`;
    const last = i === body.messages.length - 1 && m.role === 'assistant';
    if (!last && (m.content === '' || (Array.isArray(m.content) && m.content.length === 0))) {
      return `messages.${i}: all messages must have non-empty content except for the optional final assistant message`;
    }
    if (Array.isArray(m.content) && m.content.some((block: any) => block?.type === 'text' && block.text === ''))
      return 'messages: text content blocks must be non-empty';
  }
  if (body.tool_choice?.type === 'tool' && !body.tools?.some((t: any) => t.name === body.tool_choice.name))
    return `tool_choice: Tool '${body.tool_choice.name}' not found in 'tools'`;
  if (body.tools?.some((t: any) => typeof t.input_schema?.type !== 'string')) return 'tools.0.input_schema.type: Field required';
  if (body.system !== undefined && typeof body.system !== 'string' && !Array.isArray(body.system))
    return 'system: Input should be a valid string';
  return undefined;
}

/** Starts a mock Anthropic API on 127.0.0.1 (random port). The SDK's `baseURL` is `mock.origin`. */
export function startMockAnthropic(options: MockOptions = {}): Promise<MockUpstream> {
  return startMock(anthropic, options, 'Hello from the mock Anthropic.');
}
