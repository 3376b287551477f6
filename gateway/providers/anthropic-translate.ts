// Pure translation between the OpenAI chat format and Anthropic's Messages API, both directions.
import { badRequest } from '../errors.ts';
import type { OutgoingChat } from './adapter.ts';
import { chatCompletion, chatUsage, dataUrl, parseArguments, textOf, type ChatUsage, type ToolCall } from './openai-chat.ts';

/** Anthropic requires `max_tokens`; used when neither the client nor the route sets one. */
export const DEFAULT_MAX_TOKENS = 1024;

/** Thinking budgets for `reasoning_effort` (Anthropic's minimum budget is 1024 tokens). */
export const EFFORT_BUDGETS: Readonly<Record<string, number>> = { low: 1024, medium: 4096, high: 16384 };
const MIN_BUDGET = 1024;

/** OpenAI parameters Anthropic has no counterpart for, with the values that ask for nothing (those pass). */
const UNSUPPORTED: Readonly<Record<string, (v: any) => boolean>> = {
  n: (v) => v === 1,
  seed: () => false,
  logprobs: (v) => v === false,
  top_logprobs: (v) => v === 0,
  frequency_penalty: (v) => v === 0,
  presence_penalty: (v) => v === 0,
  logit_bias: (v) => typeof v === 'object' && Object.keys(v).length === 0,
  modalities: (v) => Array.isArray(v) && v.every((m) => m === 'text'),
  audio: () => false,
  prediction: () => false,
  web_search_options: () => false,
};

type Block = Record<string, unknown>;
interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: Block[];
}

/** OpenAI chat request -> Messages API request. Throws a 400 `GatewayError` for what cannot be expressed. */
export function toMessagesRequest(req: OutgoingChat, model: string): Record<string, unknown> {
  const b = req.body;
  for (const [field, asksNothing] of Object.entries(UNSUPPORTED)) {
    if (b[field] !== undefined && b[field] !== null && !asksNothing(b[field])) {
      throw badRequest('unsupported_parameter', `${field} cannot be sent to an Anthropic model.`, field);
    }
  }
  const system: string[] = [];
  const messages: AnthropicMessage[] = [];
  for (const [i, m] of (b.messages as any[]).entries()) {
    if (m?.role === 'system' || m?.role === 'developer') {
      system.push(textOf(m.content));
      continue;
    }
    const turn = toTurn(m, i);
    // Anthropic refuses empty turns; an assistant turn without text or tool calls says nothing.
    if (turn.content.length === 0 && turn.role === 'assistant') continue;
    const last = messages[messages.length - 1];
    // Consecutive turns of one role (several tool results, say) become one message, as Anthropic expects.
    if (last?.role === turn.role) last.content.push(...turn.content);
    else messages.push(turn);
  }
  const out: Record<string, unknown> = { model, max_tokens: req.maxTokens ?? DEFAULT_MAX_TOKENS, messages };
  if (typeof b.reasoning_effort === 'string') thinking(out, b.reasoning_effort, req.maxTokens);
  if (system.length) out.system = system.join('\n\n');
  if (b.stop !== undefined && b.stop !== null) out.stop_sequences = Array.isArray(b.stop) ? b.stop : [b.stop];
  for (const key of ['temperature', 'top_p'] as const) if (typeof b[key] === 'number') out[key] = b[key];
  if (typeof b.user === 'string') out.metadata = { user_id: b.user };
  if (Array.isArray(b.tools) && b.tools.length) {
    out.tools = b.tools.map((t: any) => ({
      name: t.function?.name,
      ...(t.function?.description ? { description: t.function.description } : {}),
      input_schema: t.function?.parameters ?? { type: 'object', properties: {} },
    }));
    const choice = toolChoice(b.tool_choice, b.parallel_tool_calls);
    if (choice) out.tool_choice = choice;
  }
  const json = jsonTool(b);
  if (json) {
    if (out.tools)
      throw badRequest('unsupported_parameter', 'response_format cannot be combined with tools on an Anthropic model.', 'response_format');
    out.tools = [json];
    out.tool_choice = { type: 'tool', name: json.name };
  }
  if (req.stream) out.stream = true;
  return out;
}

/**
 * `reasoning_effort` as extended thinking: a budget from EFFORT_BUDGETS, within the max tokens (which count the
 * thinking). With no max tokens set, the budget is added to the default; `minimal` and `none` ask for none.
 */
function thinking(out: Record<string, unknown>, effort: string, maxTokens: number | undefined): void {
  if (effort === 'minimal' || effort === 'none') return;
  const budget = EFFORT_BUDGETS[effort];
  if (budget === undefined)
    throw badRequest(
      'unsupported_parameter',
      `reasoning_effort "${effort}" has no Anthropic thinking budget (low, medium, high).`,
      'reasoning_effort',
    );
  const max = maxTokens ?? budget + DEFAULT_MAX_TOKENS;
  const fitted = Math.min(budget, max - 1);
  if (fitted < MIN_BUDGET) {
    throw badRequest(
      'unsupported_parameter',
      `reasoning_effort needs more than ${MIN_BUDGET} max tokens on an Anthropic model (${max} allowed).`,
      'reasoning_effort',
    );
  }
  out.max_tokens = max;
  out.thinking = { type: 'enabled', budget_tokens: fitted };
}

/**
 * `response_format` json_schema (or json_object) as a tool the model must call: its input is the JSON answer,
 * turned back into the message text by `toChatCompletion` and `AnthropicStream`. `text` asks for nothing.
 */
export function jsonTool(b: Record<string, any>): { name: string; description: string; input_schema: unknown } | undefined {
  const format = b.response_format;
  if (format === undefined || format === null || format.type === 'text') return undefined;
  if (format.type === 'json_object')
    return { name: 'json_response', description: 'Answer with a JSON object.', input_schema: { type: 'object' } };
  if (format.type !== 'json_schema' || typeof format.json_schema?.schema !== 'object') {
    throw badRequest(
      'unsupported_parameter',
      'response_format must be text, json_object or json_schema with a schema for an Anthropic model.',
      'response_format',
    );
  }
  const name = /^[a-zA-Z0-9_-]{1,64}$/.test(format.json_schema.name ?? '') ? format.json_schema.name : 'json_response';
  return {
    name,
    description: format.json_schema.description ?? 'Answer with JSON matching this schema.',
    input_schema: format.json_schema.schema,
  };
}

function toTurn(m: any, i: number): AnthropicMessage {
  switch (m?.role) {
    case 'user':
      return { role: 'user', content: userBlocks(m.content, i) };
    case 'assistant': {
      const content: Block[] = [];
      const text = textOf(m.content);
      if (text) content.push({ type: 'text', text });
      for (const call of m.tool_calls ?? []) {
        content.push({ type: 'tool_use', id: call.id, name: call.function?.name, input: parseArguments(call.function?.arguments, i) });
      }
      return { role: 'assistant', content };
    }
    case 'tool':
      return { role: 'user', content: [{ type: 'tool_result', tool_use_id: m.tool_call_id, content: textOf(m.content) }] };
    default:
      throw badRequest('invalid_message', `messages[${i}].role must be system, developer, user, assistant or tool.`);
  }
}

function userBlocks(content: unknown, i: number): Block[] {
  if (typeof content === 'string') return content ? [{ type: 'text', text: content }] : [];
  if (!Array.isArray(content)) throw badRequest('invalid_message', `messages[${i}].content must be a string or an array of parts.`);
  // Anthropic refuses empty text blocks.
  return content
    .filter((part: any) => !(part?.type === 'text' && part.text === ''))
    .map((part: any) => {
      if (part?.type === 'text') return { type: 'text', text: part.text };
      if (part?.type === 'image_url') return { type: 'image', source: imageSource(String(part.image_url?.url ?? '')) };
      throw badRequest(
        'unsupported_content',
        `messages[${i}]: content parts of type "${part?.type}" cannot be sent to an Anthropic model.`,
      );
    });
}

function imageSource(url: string): Block {
  const data = dataUrl(url);
  return data ? { type: 'base64', media_type: data.mediaType, data: data.data } : { type: 'url', url };
}

function toolChoice(choice: any, parallel: unknown): Block | undefined {
  let out: Block | undefined;
  if (choice === 'auto') out = { type: 'auto' };
  else if (choice === 'none') out = { type: 'none' };
  else if (choice === 'required') out = { type: 'any' };
  else if (choice?.type === 'function') out = { type: 'tool', name: choice.function?.name };
  if (parallel === false) out = { ...(out ?? { type: 'auto' }), disable_parallel_tool_use: true };
  return out;
}

const FINISH_REASONS: Record<string, string> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

export const finishReason = (stopReason: string | null | undefined) => (stopReason ? (FINISH_REASONS[stopReason] ?? 'stop') : null);

/** Anthropic counts cached prompt tokens apart; OpenAI's prompt_tokens includes them. */
export function openAIUsage(u: any): ChatUsage {
  const cached = u?.cache_read_input_tokens ?? 0;
  return chatUsage((u?.input_tokens ?? 0) + (u?.cache_creation_input_tokens ?? 0) + cached, u?.output_tokens ?? 0, cached);
}

/** Messages API response -> OpenAI `chat.completion`; a forced JSON tool's input becomes the text (see jsonTool). */
export function toChatCompletion(msg: any, req: OutgoingChat) {
  const json = jsonTool(req.body)?.name;
  const text: string[] = [];
  const toolCalls: ToolCall[] = [];
  for (const block of msg.content ?? []) {
    if (block.type === 'text') text.push(block.text);
    else if (block.type === 'tool_use' && block.name === json) text.push(JSON.stringify(block.input ?? {}));
    else if (block.type === 'tool_use')
      toolCalls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } });
  }
  return chatCompletion({
    id: msg.id,
    model: msg.model,
    text,
    toolCalls,
    finish: json ? 'stop' : finishReason(msg.stop_reason),
    usage: openAIUsage(msg.usage),
  });
}
