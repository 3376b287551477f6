// The OpenAI Responses API for the OpenAI mock (`/v1/responses`; Azure `/openai/responses` and `/openai/v1/responses`):
// a Response object with message or function_call output items, or its SSE events response.created .. response.completed,
// each with a sequence_number; `max_output_tokens` below the reply makes it incomplete, as the API does.
import type http from 'node:http';
import {
  estimateTokens,
  limitReply,
  sendJson,
  splitPieces,
  sseEvent,
  startSse,
  writeEvents,
  type Pause,
  type RecordedRequest,
  type ResolvedBehaviour,
} from './server.ts';

const CREATED = 1_700_000_000;
const IDS = { message: 'msg_mock01', call: 'fc_mock01' };
/** Responses are told apart by id (a conversation chains them), so each has its own. */
let responses = 0;
const responseId = () => `resp_mock${String(++responses).padStart(2, '0')}`;

type Item =
  | { id: string; type: 'message'; status: string; role: 'assistant'; content: OutputText[] }
  | { id: string; type: 'function_call'; status: string; arguments: string; call_id: string; name: string };
type OutputText = { type: 'output_text'; text: string; annotations: []; logprobs: [] };

export async function answerResponses(
  req: RecordedRequest,
  res: http.ServerResponse,
  b: ResolvedBehaviour,
  pause: Pause,
  fail: (status: number, message: string) => void,
): Promise<void> {
  const body = req.body;
  const problem = invalidRequest(body);
  if (problem) return fail(400, problem);
  const inputTokens = b.usage?.input ?? estimateTokens(JSON.stringify([body.instructions ?? '', body.input ?? '']));
  const { text, outputTokens, truncated } = limitReply(b, body.max_output_tokens);
  const usage = {
    input_tokens: inputTokens,
    input_tokens_details: { cached_tokens: b.usage?.cacheRead ?? 0 },
    output_tokens: outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: inputTokens + outputTokens,
  };
  const item: Item = b.toolCall
    ? {
        id: IDS.call,
        type: 'function_call',
        status: 'completed',
        arguments: JSON.stringify(b.toolCall.arguments),
        call_id: b.toolCall.id ?? 'call_mock1',
        name: b.toolCall.name,
      }
    : { id: IDS.message, type: 'message', status: truncated ? 'incomplete' : 'completed', role: 'assistant', content: [outputText(text)] };
  const id = responseId();
  const done = response(id, body, truncated ? 'incomplete' : 'completed', [item], usage);
  if (!body.stream) return sendJson(res, 200, done, { 'x-request-id': 'req_mock' });
  startSse(res, { 'x-request-id': 'req_mock' });
  await writeEvents(res, streamEvents(body, item, done), pause);
}

/** What the API sends when a streamed response fails (after `response.created`, sequence number 0). */
export function responsesStreamError(req: RecordedRequest, res: http.ServerResponse, status: number, message: string): void {
  const error = { code: status === 429 ? 'rate_limit_exceeded' : 'server_error', message };
  res.end(
    sseEvent('response.failed', {
      type: 'response.failed',
      response: { ...response(responseId(), req.body, 'failed', [], null), error },
      sequence_number: 1,
    }),
  );
}

function streamEvents(body: any, item: Item, done: ReturnType<typeof response>): string[] {
  const started = response(done.id, body, 'in_progress', [], null);
  const at = { output_index: 0 };
  const events: [string, object][] = [
    ['response.created', { response: started }],
    ['response.in_progress', { response: started }],
  ];
  if (item.type === 'function_call') {
    const ref = { item_id: item.id, ...at };
    events.push(['response.output_item.added', { ...at, item: { ...item, status: 'in_progress', arguments: '' } }]);
    for (const delta of splitPieces(item.arguments, 8)) events.push(['response.function_call_arguments.delta', { ...ref, delta }]);
    events.push(['response.function_call_arguments.done', { ...ref, name: item.name, arguments: item.arguments }]);
  } else {
    const ref = { item_id: item.id, ...at, content_index: 0 };
    const part = item.content[0];
    events.push(['response.output_item.added', { ...at, item: { ...item, status: 'in_progress', content: [] } }]);
    events.push(['response.content_part.added', { ...ref, part: outputText('') }]);
    for (const delta of part.text.split(/(?<= )/)) events.push(['response.output_text.delta', { ...ref, delta, logprobs: [] }]);
    events.push(['response.output_text.done', { ...ref, text: part.text, logprobs: [] }]);
    events.push(['response.content_part.done', { ...ref, part }]);
  }
  events.push(['response.output_item.done', { ...at, item }]);
  events.push([`response.${done.status}`, { response: done }]);
  return events.map(([type, data], sequence_number) => sseEvent(type, { type, ...data, sequence_number }));
}

function response(id: string, body: any, status: string, output: Item[], usage: object | null) {
  return {
    id,
    object: 'response',
    created_at: CREATED,
    status,
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model: body.model,
    output,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: { effort: null, summary: null },
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: { format: { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: 'disabled',
    usage,
    user: null,
    metadata: body.metadata ?? {},
  };
}

const outputText = (text: string): OutputText => ({ type: 'output_text', text, annotations: [], logprobs: [] });

/** The checks the real API applies that a translation from chat completions most easily fails. */
function invalidRequest(body: any): string | undefined {
  if (typeof body.model !== 'string') return "Missing required parameter: 'model'.";
  for (const chatOnly of ['messages', 'max_tokens', 'max_completion_tokens']) {
    if (body[chatOnly] !== undefined) return `Unknown parameter: '${chatOnly}'.`;
  }
  for (const [i, tool] of (Array.isArray(body.tools) ? body.tools : []).entries()) {
    if (tool?.type === 'function' && typeof tool.name !== 'string') return `Missing required parameter: 'tools[${i}].name'.`;
  }
  for (const [i, item] of (Array.isArray(body.input) ? body.input : []).entries()) {
    if (item?.type === 'function_call_output' && typeof item.call_id !== 'string')
      return `Missing required parameter: 'input[${i}].call_id'.`;
  }
  return undefined;
}
