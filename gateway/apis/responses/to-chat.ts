// A Responses request as an OpenAI chat request, for the providers reached through the chat pivot. What chat
// cannot express is a 400 naming the field, never a silent drop. Dropped with a note for the usage line: what
// changes nothing in the answer (reasoning items handed back, a reasoning summary asked for), and the hosted
// tools only OpenAI runs (web search, file search, ...), which the model then answers without, as a model does
// that chooses not to call them: Codex sends web_search on every request, so refusing it would refuse Codex.
import type { IRModel } from '../../../compiler/ir/types.ts';
import { checkOptional, checkRequired, fieldError, inputItems, isKind, type Kind } from './request.ts';
import { customArguments, flatName } from './response.ts';
import type { Json, ResponseItem, ResponsesRequest } from './types.ts';

export interface ChatTranslation {
  /** An OpenAI chat body; `model` is the client's model id, for the router to map. */
  body: Json;
  /** What was dropped without changing the answer, one short phrase each, for the usage line. */
  notes: string[];
}

/** Chat fields with the same name and meaning in both APIs. */
const COPIED: Record<string, 'number' | 'boolean' | 'string'> = {
  temperature: 'number',
  top_p: 'number',
  parallel_tool_calls: 'boolean',
  user: 'string',
  safety_identifier: 'string',
  service_tier: 'string',
};

/**
 * Translated before the other fields (`input`, `instructions`), read by the gateway itself (routing, conversation
 * state, `max_output_tokens` as the adapter's max tokens), or meaning nothing off OpenAI: `stream_options` only
 * asks for obfuscation, which is never added here, `client_metadata` (Codex's) is for OpenAI's logs, and prompt
 * cache keys and retention steer OpenAI's cache (chat providers cache prompt prefixes by themselves).
 */
const NOT_SENT = new Set([
  'model',
  'input',
  'instructions',
  'store',
  'previous_response_id',
  'max_output_tokens',
  'stream_options',
  'client_metadata',
  'prompt_cache_key',
  'prompt_cache_retention',
]);

/** Values of otherwise unsupported fields that ask for nothing chat lacks. */
const NEUTRAL: Record<string, unknown> = { background: false, truncation: 'disabled', top_logprobs: 0 };

/** Whole-response logprobs have no place in the translated output. */
const UNSUPPORTED_INCLUDES = new Set(['message.output_text.logprobs']);

/** What a translation left out, counted by kind, for the notes. */
class Dropped {
  private readonly counts = new Map<string, { n: number; verb: string }>();

  add(what: string, verb = 'dropped'): void {
    const count = this.counts.get(what);
    if (count) count.n++;
    else this.counts.set(what, { n: 1, verb });
  }

  /** `n <what>s <verb>` for each kind, in the order first met. */
  notes(): string[] {
    return [...this.counts].map(([what, { n, verb }]) => `${n} ${what}${n > 1 ? 's' : ''} ${verb}`);
  }
}

/**
 * `request` (checked by `validateRequest`) as a chat body for `model`. `history` holds the items of the
 * conversation it continues (`previous_response_id`), oldest first; they go before the request's own input,
 * after its `instructions`, which are never carried over from earlier responses (as with OpenAI).
 */
export function toChat(request: ResponsesRequest, history: ResponseItem[] = [], model: Pick<IRModel, 'reasoning'> = {}): ChatTranslation {
  const notes: string[] = [];
  const dropped = new Dropped();
  const messages: Json[] = [];
  if (request.instructions) messages.push({ role: 'system', content: request.instructions });
  addItems(messages, history, (i) => `previous_response_id item ${i}`, dropped);
  addItems(messages, inputItems(request), (i) => `input[${i}]`, dropped);

  const body: Json = { model: request.model, messages };
  for (const [field, value] of Object.entries(request)) {
    if (value === undefined || value === null || NOT_SENT.has(field)) continue;
    if (Object.hasOwn(COPIED, field)) {
      checkOptional(value, COPIED[field], field);
      body[field] = value;
    } else if (!(Object.hasOwn(NEUTRAL, field) && NEUTRAL[field] === value)) {
      translateField(field, value, body, { notes, dropped, model });
    }
  }
  if (body.tools === undefined) withoutTools(body);
  return { body, notes: [...dropped.notes(), ...notes] };
}

/** What a field's translation may note, and the model it is for. */
interface Context {
  notes: string[];
  dropped: Dropped;
  model: Pick<IRModel, 'reasoning'>;
}

/** Chat rejects tool settings without tools, where Responses ignores them; they mean nothing then. */
function withoutTools(body: Json): void {
  if (body.tool_choice !== undefined && body.tool_choice !== 'none' && body.tool_choice !== 'auto') {
    throw fieldError('invalid_value', 'tool_choice', 'asks for a tool call, but the request has no tools.');
  }
  delete body.tool_choice;
  delete body.parallel_tool_calls;
}

function translateField(field: string, value: unknown, body: Json, ctx: Context): void {
  switch (field) {
    case 'stream':
      // The adapter asks for the usage chunk, which becomes the usage of `response.completed`.
      if (value === true) body.stream = true;
      return;
    case 'metadata':
      checkOptional(value, 'object', field); // echoed in the Response only
      return;
    case 'tools': {
      checkOptional(value, 'array', field);
      const tools = (value as unknown[]).flatMap((tool, i) => chatTools(tool, `tools[${i}]`, ctx));
      if (tools.length) body.tools = tools;
      return;
    }
    case 'tool_choice':
      body.tool_choice = toolChoice(value);
      return;
    case 'text':
      textConfig(value, body);
      return;
    case 'reasoning':
      reasoning(value, body, ctx);
      return;
    case 'include':
      checkOptional(value, 'array', field);
      (value as unknown[]).forEach((v, i) => {
        checkRequired(v, 'string', `include[${i}]`);
        if (UNSUPPORTED_INCLUDES.has(v as string))
          throw fieldError(
            'unsupported_value',
            `include[${i}]`,
            `"${v}" is not supported on this route (its model is reached through chat completions).`,
          );
      });
      return;
    default:
      throw unsupportedField(field);
  }
}

/** Copies the fields of `from` that are set into `to`, each checked to be of its kind. */
function copyOptional(from: Json, to: Json, fields: Record<string, Kind>, prefix: string): Json {
  for (const [key, kind] of Object.entries(fields)) {
    checkOptional(from[key], kind, `${prefix}.${key}`);
    if (from[key] != null) to[key] = from[key];
  }
  return to;
}

const unsupportedField = (field: string) =>
  fieldError(
    'unsupported_parameter',
    field,
    'is not supported on this route: its model is reached through chat completions, which cannot express it.',
  );

/**
 * Calls of OpenAI's hosted tools and their results, found in a history a client hands back (run on OpenAI earlier,
 * say): dropped like the tools, as the provider cannot take them.
 */
const HOSTED_CALLS = new Set([
  'web_search_call',
  'file_search_call',
  'code_interpreter_call',
  'image_generation_call',
  'tool_search_call',
  'tool_search_output',
]);

/** Appends the chat messages of `items`, counting what it drops. */
function addItems(messages: Json[], items: ResponseItem[], label: (i: number) => string, dropped: Dropped): void {
  items.forEach((item, i) => {
    const field = label(i);
    checkRequired(item, 'object', field);
    // An item without a type but with a role is a message (EasyInputMessage).
    const type = item.type ?? (item.role !== undefined ? 'message' : undefined);
    switch (type) {
      case 'message':
        messages.push(message(item, field));
        return;
      case 'function_call':
        checkRequired(item.arguments, 'string', `${field}.arguments`);
        addToolCall(messages, item, item.arguments as string, field);
        return;
      case 'custom_tool_call':
        checkRequired(item.input, 'string', `${field}.input`);
        addToolCall(messages, item, customArguments(item.input as string), field);
        return;
      case 'function_call_output':
      case 'custom_tool_call_output':
        messages.push(toolResult(item, field));
        return;
      case 'reasoning':
        dropped.add('reasoning item');
        return;
      case undefined:
        throw fieldError('missing_required_parameter', `${field}.type`, 'is required.');
      default:
        if (HOSTED_CALLS.has(type as string)) return dropped.add('hosted tool call item');
        throw fieldError(
          'unsupported_value',
          `${field}.type`,
          `"${String(type)}" items cannot be sent on this route: only messages, function and custom tool calls, their outputs, and reasoning items translate to chat completions.`,
        );
    }
  });
}

const ROLES = new Set(['user', 'assistant', 'system', 'developer']);

function message(item: Json, field: string): Json {
  // Chat-only servers may not know the developer role; system is what it means to them.
  const role = item.role === 'developer' ? 'system' : item.role;
  if (!ROLES.has(role as string)) throw fieldError('invalid_value', `${field}.role`, 'must be user, assistant, system or developer.');
  const content = item.content;
  if (typeof content === 'string') return { role, content };
  if (!Array.isArray(content)) throw fieldError('invalid_type', `${field}.content`, 'must be a string or an array of content parts.');
  if (role === 'assistant') return assistantMessage(content, `${field}.content`);
  return { role, content: content.map((part, j) => contentPart(part, `${field}.content[${j}]`, role === 'user')) };
}

/** Earlier output handed back: text parts joined (chat has one text per assistant turn), refusals kept apart. */
function assistantMessage(parts: unknown[], field: string): Json {
  let text = '';
  let refusal: string | undefined;
  parts.forEach((part, j) => {
    checkRequired(part, 'object', `${field}[${j}]`);
    const p = part as Json;
    if (p.type === 'output_text' || p.type === 'input_text') {
      checkRequired(p.text, 'string', `${field}[${j}].text`);
      text += p.text;
    } else if (p.type === 'refusal') {
      checkRequired(p.refusal, 'string', `${field}[${j}].refusal`);
      refusal = (refusal ?? '') + p.refusal;
    } else {
      throw fieldError(
        'unsupported_value',
        `${field}[${j}].type`,
        `"${String(p.type)}" parts cannot be sent in an assistant message on this route.`,
      );
    }
  });
  return refusal === undefined ? { role: 'assistant', content: text } : { role: 'assistant', content: text || null, refusal };
}

const IMAGE_DETAILS = new Set(['auto', 'low', 'high']);

/** One part of a user, system or developer message, or of a tool output; only user messages carry media. */
function contentPart(part: unknown, field: string, media: boolean): Json {
  checkRequired(part, 'object', field);
  const p = part as Json;
  if (p.type === 'input_text') {
    checkRequired(p.text, 'string', `${field}.text`);
    return { type: 'text', text: p.text };
  }
  if (media && p.type === 'input_image') {
    if (p.file_id)
      throw fieldError(
        'unsupported_parameter',
        `${field}.file_id`,
        'is not supported on this route: chat completions take images by URL only (an https: or data: URL in image_url).',
      );
    checkRequired(p.image_url, 'string', `${field}.image_url`);
    checkOptional(p.detail, 'string', `${field}.detail`);
    if (p.detail != null && !IMAGE_DETAILS.has(p.detail as string))
      throw fieldError('unsupported_value', `${field}.detail`, 'must be auto, low or high on this route.');
    return { type: 'image_url', image_url: p.detail == null ? { url: p.image_url } : { url: p.image_url, detail: p.detail } };
  }
  if (media && p.type === 'input_file') {
    if (p.file_url)
      throw fieldError(
        'unsupported_parameter',
        `${field}.file_url`,
        'is not supported on this route: chat completions take files as file_data or file_id.',
      );
    return { type: 'file', file: copyOptional(p, {}, { file_data: 'string', file_id: 'string', filename: 'string' }, field) };
  }
  const where = media ? '' : ' in this message (chat completions take text only here)';
  throw fieldError('unsupported_value', `${field}.type`, `"${String(p.type)}" parts cannot be sent${where} on this route.`);
}

/**
 * Consecutive calls, and calls right after the assistant text that introduced them, make one assistant turn. A
 * call of a namespace's tool names the function that stands for it.
 */
function addToolCall(messages: Json[], item: Json, args: string, field: string): void {
  for (const key of ['call_id', 'name']) checkRequired(item[key], 'string', `${field}.${key}`);
  checkOptional(item.namespace, 'string', `${field}.namespace`);
  const name = item.namespace ? flatName(item.namespace as string, item.name as string) : item.name;
  const call = { id: item.call_id, type: 'function', function: { name, arguments: args } };
  const last = messages[messages.length - 1];
  if (last?.role === 'assistant') {
    last.tool_calls = [...((last.tool_calls as Json[] | undefined) ?? []), call];
    if (last.content === '') last.content = null;
  } else messages.push({ role: 'assistant', content: null, tool_calls: [call] });
}

function toolResult(item: Json, field: string): Json {
  checkRequired(item.call_id, 'string', `${field}.call_id`);
  const output = item.output;
  if (typeof output === 'string') return { role: 'tool', tool_call_id: item.call_id, content: output };
  if (!Array.isArray(output)) throw fieldError('invalid_type', `${field}.output`, 'must be a string or an array of content parts.');
  return { role: 'tool', tool_call_id: item.call_id, content: output.map((part, j) => contentPart(part, `${field}.output[${j}]`, false)) };
}

/** Tool types with a chat counterpart; any other is a hosted tool, which only OpenAI runs. */
const FUNCTION_TYPES = new Set(['function', 'custom']);

/**
 * A tool as chat functions: a function or custom tool as one, a namespace as one per tool (see `flatName`), a
 * hosted tool as none, noted. A function with `defer_loading` (found through OpenAI's tool search, which chat
 * lacks) is not sent either.
 */
function chatTools(tool: unknown, field: string, ctx: Context): Json[] {
  checkRequired(tool, 'object', field);
  const t = tool as Json;
  checkRequired(t.type, 'string', `${field}.type`);
  if (t.type === 'namespace') {
    checkRequired(t.name, 'string', `${field}.name`);
    checkRequired(t.tools, 'array', `${field}.tools`);
    return (t.tools as unknown[]).flatMap((inner, i) => {
      const at = `${field}.tools[${i}]`;
      checkRequired(inner, 'object', at);
      const fn = inner as Json;
      if (!FUNCTION_TYPES.has(fn.type as string)) throw fieldError('invalid_value', `${at}.type`, 'must be function or custom.');
      checkRequired(fn.name, 'string', `${at}.name`);
      return chatTools({ ...fn, name: flatName(t.name as string, fn.name as string), description: namespaced(t, fn) }, at, ctx);
    });
  }
  if (!FUNCTION_TYPES.has(t.type as string)) {
    ctx.dropped.add(`${t.type as string} tool`);
    return [];
  }
  checkRequired(t.name, 'string', `${field}.name`);
  if (t.defer_loading === true) {
    ctx.dropped.add('deferred tool', 'not sent');
    return [];
  }
  if (t.type === 'custom') return [customTool(t, field, ctx.notes)];
  // `strict` only when given: the APIs default it differently, and a schema strict mode rejects must not be forced.
  return [
    {
      type: 'function',
      function: copyOptional(t, { name: t.name }, { description: 'string', parameters: 'object', strict: 'boolean' }, field),
    },
  ];
}

/** A namespace's tool's description, after its namespace's: the model sees no namespace otherwise. */
function namespaced(namespace: Json, tool: Json): string | undefined {
  const parts = [namespace.description, tool.description].filter((d): d is string => typeof d === 'string' && d !== '');
  return parts.length ? parts.join('\n\n') : undefined;
}

/**
 * A custom (free-form) tool, such as Codex's `apply_patch`, as a function taking its text in `input`; the answer
 * unwraps it again (`customInput`). A grammar cannot be enforced: the model is shown it, and a note says so.
 */
function customTool(t: Json, field: string, notes: string[]): Json {
  checkRequired(t.name, 'string', `${field}.name`);
  checkOptional(t.format, 'object', `${field}.format`);
  const format = (t.format ?? { type: 'text' }) as Json;
  let input = 'The input of the tool, as free-form text.';
  if (format.type === 'grammar') {
    checkRequired(format.definition, 'string', `${field}.format.definition`);
    input = `The input of the tool: text in this ${String(format.syntax)} grammar:\n${format.definition}`;
    notes.push(`grammar of custom tool ${t.name} not enforced`);
  } else if (format.type !== 'text') throw fieldError('invalid_value', `${field}.format.type`, 'must be text or grammar.');
  const parameters = {
    type: 'object',
    properties: { input: { type: 'string', description: input } },
    required: ['input'],
    additionalProperties: false,
  };
  return { type: 'function', function: copyOptional(t, { name: t.name, parameters }, { description: 'string' }, field) };
}

function toolChoice(choice: unknown): unknown {
  if (choice === 'auto' || choice === 'none' || choice === 'required') return choice;
  if (isKind(choice, 'object') && ((choice as Json).type === 'function' || (choice as Json).type === 'custom')) {
    checkRequired((choice as Json).name, 'string', 'tool_choice.name');
    return { type: 'function', function: { name: (choice as Json).name } };
  }
  if (isKind(choice, 'object'))
    throw fieldError(
      'unsupported_value',
      'tool_choice.type',
      `"${String((choice as Json).type)}" is not supported on this route: use auto, none, required or a function.`,
    );
  throw fieldError('invalid_value', 'tool_choice', 'must be auto, none, required or {"type": "function", "name": ...}.');
}

function textConfig(text: unknown, body: Json): void {
  checkOptional(text, 'object', 'text');
  for (const [key, value] of Object.entries(text as Json)) {
    if (value === undefined || value === null) continue;
    if (key === 'verbosity') {
      checkOptional(value, 'string', 'text.verbosity');
      body.verbosity = value;
    } else if (key === 'format') {
      const format = responseFormat(value);
      if (format) body.response_format = format;
    } else throw unsupportedField(`text.${key}`);
  }
}

function responseFormat(format: unknown): Json | undefined {
  checkOptional(format, 'object', 'text.format');
  const f = format as Json;
  switch (f.type) {
    case 'text':
      return undefined;
    case 'json_object':
      return { type: 'json_object' };
    case 'json_schema': {
      checkRequired(f.name, 'string', 'text.format.name');
      checkRequired(f.schema, 'object', 'text.format.schema');
      return {
        type: 'json_schema',
        json_schema: copyOptional(f, { name: f.name, schema: f.schema }, { description: 'string', strict: 'boolean' }, 'text.format'),
      };
    }
    default:
      throw fieldError('invalid_value', 'text.format.type', 'must be text, json_object or json_schema.');
  }
}

/**
 * `effort` as `reasoning_effort` for models configured with `reasoning` (OpenAI refuses it for the others, which
 * answer without extended reasoning, noted).
 */
function reasoning(value: unknown, body: Json, ctx: Context): void {
  checkOptional(value, 'object', 'reasoning');
  for (const [key, v] of Object.entries(value as Json)) {
    if (v === undefined || v === null) continue;
    if (key === 'effort') {
      checkOptional(v, 'string', 'reasoning.effort');
      if (ctx.model.reasoning) body.reasoning_effort = v;
      else ctx.notes.push('reasoning.effort dropped: the model is not configured with reasoning');
    } else if (key === 'summary' || key === 'generate_summary') {
      // A summary is offered, never promised, by OpenAI either: its absence is a valid answer.
      ctx.notes.push(`reasoning.${key} dropped`);
    } else throw unsupportedField(`reasoning.${key}`);
  }
}
