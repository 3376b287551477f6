// The Response object and its parts, shared by the JSON answer and the stream: ids, the fields echoed from the
// request, output items, usage, and the status a chat finish_reason means.
import { createHash, randomFillSync } from 'node:crypto';
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
export const newId = (prefix: 'resp' | 'msg' | 'fc' | 'ctc' | 'call') => `${prefix}_${randomHex()}`;

const ID_BYTES = 24;
/** Random bytes for 128 ids, filled at once: a call for each id cost more than the rest of a streamed answer's ids. */
const pool = Buffer.alloc(ID_BYTES * 128);
let used = pool.length;

function randomHex(): string {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += ID_BYTES;
  return pool.toString('hex', used - ID_BYTES, used);
}

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

export const messageItem = (id: string, content: Json[], status: ItemStatus): ResponseItem => ({
  id,
  type: 'message',
  status,
  role: 'assistant',
  content,
});

export const textPart = (text: string): Json => ({ type: 'output_text', text, annotations: [], logprobs: [] });

export const refusalPart = (refusal: string): Json => ({ type: 'refusal', refusal });

/** A tool of the request as its calls name it: a custom tool's are `custom_tool_call` items, a namespace's carry it. */
export interface ToolName {
  name: string;
  namespace?: string;
  custom: boolean;
}

/** Chat's limit on function names. */
const MAX_NAME = 64;

/**
 * The chat function standing for tool `name` of a namespace: `{namespace}__{name}`, or when that is too long for
 * chat, its first characters and a hash of the whole (the answer maps it back through `chatToolNames`).
 */
export function flatName(namespace: string, name: string): string {
  const flat = `${namespace}__${name}`;
  return flat.length <= MAX_NAME ? flat : `${flat.slice(0, MAX_NAME - 9)}_${createHash('sha256').update(flat).digest('hex').slice(0, 8)}`;
}

/** The request's function and custom tools by the names of the chat functions that stand for them. */
export function chatToolNames(request: ResponsesRequest): ReadonlyMap<string, ToolName> {
  const names = new Map<string, ToolName>();
  for (const t of Array.isArray(request.tools) ? (request.tools as Json[]) : []) {
    if (t?.type === 'namespace' && Array.isArray(t.tools)) for (const inner of t.tools as Json[]) addToolName(names, inner, String(t.name));
    else addToolName(names, t);
  }
  return names;
}

/** A module function, not a closure per call: the bundle would name each one (esbuild's keepNames). */
function addToolName(names: Map<string, ToolName>, t: Json, namespace?: string): void {
  if (t?.type !== 'function' && t?.type !== 'custom') return;
  const name = String(t.name);
  names.set(namespace === undefined ? name : flatName(namespace, name), { name, namespace, custom: t.type === 'custom' });
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

/** The id prefix of the item a call of chat function `chatName` becomes. */
export const callIdPrefix = (tools: ReadonlyMap<string, ToolName>, chatName: string) => (tools.get(chatName)?.custom ? 'ctc' : 'fc');

/**
 * A call of chat function `chatName` as its output item: `function_call`, or `custom_tool_call` for a custom
 * tool, named as the request's tools name it (with its namespace, for a tool of one).
 */
export function toolCallItem(
  id: string,
  callId: string,
  chatName: string,
  args: string,
  status: ItemStatus,
  tools: ReadonlyMap<string, ToolName>,
): ResponseItem {
  const tool = tools.get(chatName);
  const name = { name: tool?.name ?? chatName, ...(tool?.namespace === undefined ? {} : { namespace: tool.namespace }) };
  // No status: OpenAI's custom_tool_call has none, and would refuse one when the item is handed back.
  if (tool?.custom) return { id, type: 'custom_tool_call', call_id: callId, ...name, input: args && customInput(args) };
  return { id, type: 'function_call', status, arguments: args, call_id: callId, ...name };
}

/**
 * The finished response: `draft` with its output, usage and the status a chat `finish_reason` means (cut by the
 * token limit or a content filter: incomplete; otherwise completed). The draft itself, completed in place: a copy
 * spread with the new members costs several times more to make and to encode (V8 makes it a dictionary).
 */
export function finishedResponse(draft: ResponseObject, finishReason: unknown, output: ResponseItem[], usage: TokenUsage): ResponseObject {
  const reason = finishReason === 'length' ? 'max_output_tokens' : finishReason === 'content_filter' ? 'content_filter' : undefined;
  draft.status = reason ? 'incomplete' : 'completed';
  draft.completed_at = reason ? null : Math.floor(Date.now() / 1000);
  draft.incomplete_details = reason ? { reason } : null;
  draft.output = output;
  draft.usage = responseUsage(usage);
  return draft;
}

/** The status of the output items of a response that finished for `finishReason`. */
export const itemStatus = (finishReason: unknown): ItemStatus =>
  finishReason === 'length' || finishReason === 'content_filter' ? 'incomplete' : 'completed';

const count = (n: unknown) => (typeof n === 'number' && n > 0 ? Math.floor(n) : 0);

/** The usage an adapter read, in the Responses shape (input includes cached tokens in both). */
export function responseUsage(usage: TokenUsage): ResponseUsage {
  return {
    input_tokens: usage.input,
    input_tokens_details: { cached_tokens: usage.cacheRead ?? 0 },
    output_tokens: usage.output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: usage.input + usage.output,
  };
}

/** A Responses `usage` object (passed through from OpenAI) as the gateway counts tokens. */
export function tokenUsage(usage: unknown): TokenUsage {
  const u = (usage ?? {}) as Json;
  const cacheRead = count((u.input_tokens_details as Json | undefined)?.cached_tokens);
  return { input: count(u.input_tokens), output: count(u.output_tokens), ...(cacheRead ? { cacheRead } : {}) };
}
