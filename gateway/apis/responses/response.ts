// The Response object and its parts, shared by the JSON answer and the stream: ids, the fields echoed from the
// request, output items, usage, and the status a chat finish_reason means.
import { randomBytes } from 'node:crypto';
import type { TokenUsage } from '../../usage.ts';
import type { Json, ResponseItem, ResponseObject, ResponsesRequest, ResponseUsage } from './types.ts';

export interface ResponseContext {
  /** The model id the client asked for (a route or an alias), echoed as `model`. */
  model: string;
  request: ResponsesRequest;
  /** Whether the gateway keeps this response (`willStore`): echoed as `store`. */
  stored: boolean;
}

/** `resp_…`, `msg_…`, `fc_…`, `ctc_…`, `call_…`: OpenAI's prefixes, 48 random hex digits. */
export const newId = (prefix: 'resp' | 'msg' | 'fc' | 'ctc' | 'call') => `${prefix}_${randomBytes(24).toString('hex')}`;

/** A Response without output yet, echoing the request's settings with OpenAI's defaults, as the SDK expects. */
export function draftResponse(ctx: ResponseContext): ResponseObject {
  const r = ctx.request as Json & ResponsesRequest;
  const reasoning = r.reasoning as Json | null | undefined;
  return {
    id: newId('resp'),
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: 'in_progress',
    background: false,
    error: null,
    incomplete_details: null,
    instructions: r.instructions ?? null,
    max_output_tokens: r.max_output_tokens ?? null,
    metadata: r.metadata ?? {},
    model: ctx.model,
    output: [],
    parallel_tool_calls: r.parallel_tool_calls ?? true,
    previous_response_id: r.previous_response_id ?? null,
    prompt_cache_key: r.prompt_cache_key ?? null,
    reasoning: { effort: reasoning?.effort ?? null, summary: null },
    safety_identifier: r.safety_identifier ?? null,
    service_tier: r.service_tier ?? 'default',
    store: ctx.stored,
    temperature: r.temperature ?? 1,
    text: r.text ?? { format: { type: 'text' } },
    tool_choice: r.tool_choice ?? 'auto',
    tools: r.tools ?? [],
    top_p: r.top_p ?? 1,
    truncation: r.truncation ?? 'disabled',
    usage: null,
    user: r.user ?? null,
  };
}

export type ItemStatus = 'in_progress' | 'completed' | 'incomplete';

export const messageItem = (id: string, content: Json[], status: ItemStatus): ResponseItem => ({ id, type: 'message', status, role: 'assistant', content });

export const textPart = (text: string): Json => ({ type: 'output_text', text, annotations: [], logprobs: [] });

export const refusalPart = (refusal: string): Json => ({ type: 'refusal', refusal });

/** The names of the request's custom tools, whose calls are `custom_tool_call` items. */
export function customToolNames(request: ResponsesRequest): ReadonlySet<string> {
  const tools = Array.isArray(request.tools) ? (request.tools as Json[]) : [];
  return new Set(tools.filter((t) => t?.type === 'custom').map((t) => String(t.name)));
}

/** A custom tool's text as the arguments of the function that stands for it in chat (see `toChat`). */
export const customArguments = (input: string) => JSON.stringify({ input });

/** The text of a custom tool call back from its function arguments; arguments that are not the wrapper are the text. */
export function customInput(args: string): string {
  try {
    const input = (JSON.parse(args) as Json | null)?.input;
    if (typeof input === 'string') return input;
  } catch {
    // not the wrapper
  }
  return args;
}

/** A chat tool call as its output item: `function_call`, or `custom_tool_call` for a custom tool. */
export function toolCallItem(id: string, callId: string, name: string, args: string, status: ItemStatus, custom: boolean): ResponseItem {
  // No status: OpenAI's custom_tool_call has none, and would refuse one when the item is handed back.
  if (custom) return { id, type: 'custom_tool_call', call_id: callId, name, input: args && customInput(args) };
  return { id, type: 'function_call', status, arguments: args, call_id: callId, name };
}

/**
 * The finished response: `draft` with its output, usage and the status a chat `finish_reason` means (cut by the
 * token limit or a content filter: incomplete; otherwise completed).
 */
export function finishedResponse(draft: ResponseObject, finishReason: unknown, output: ResponseItem[], chatUsage: unknown): ResponseObject {
  const reason = finishReason === 'length' ? 'max_output_tokens' : finishReason === 'content_filter' ? 'content_filter' : undefined;
  return {
    ...draft,
    status: reason ? 'incomplete' : 'completed',
    completed_at: reason ? null : Math.floor(Date.now() / 1000),
    incomplete_details: reason ? { reason } : null,
    output,
    usage: responseUsage(chatUsage),
  };
}

/** The status of the output items of a response that finished for `finishReason`. */
export const itemStatus = (finishReason: unknown): ItemStatus => (finishReason === 'length' || finishReason === 'content_filter' ? 'incomplete' : 'completed');

const count = (n: unknown) => (typeof n === 'number' && n > 0 ? Math.floor(n) : 0);

/** A chat `usage` object in the Responses shape (cached prompt tokens and reasoning tokens kept). */
export function responseUsage(chat: unknown): ResponseUsage {
  const u = (chat ?? {}) as Json;
  const input = count(u.prompt_tokens);
  const output = count(u.completion_tokens);
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: count((u.prompt_tokens_details as Json | undefined)?.cached_tokens) },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: count((u.completion_tokens_details as Json | undefined)?.reasoning_tokens) },
    total_tokens: input + output,
  };
}

/** A Responses `usage` object as the gateway counts tokens (input includes cached tokens, as in chat). */
export function tokenUsage(usage: unknown): TokenUsage {
  const u = (usage ?? {}) as Json;
  return { input: count(u.input_tokens), output: count(u.output_tokens) };
}
