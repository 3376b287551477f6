// A chat answer as a Messages answer, and what both the answer and the synthesized stream share: stop reasons,
// usage, ids.
import type { TokenUsage } from '../../usage.ts';
import type { Body } from '../api.ts';
import type { ChatObject } from '../chat-pivot.ts';

const STOP_REASONS: Readonly<Record<string, string>> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
  content_filter: 'refusal',
};

export interface Stop {
  stop_reason: string;
  stop_sequence: string | null;
}

/**
 * A chat `finish_reason` as Anthropic's stop reason. Chat does not say which stop sequence ended the text;
 * servers that do (vLLM's `stop_reason`) get `stop_sequence`, the others `end_turn`.
 */
export function stopOf(finish: unknown, matched: unknown, stopSequences: unknown): Stop {
  if (finish === 'stop' && typeof matched === 'string' && Array.isArray(stopSequences) && stopSequences.includes(matched)) {
    return { stop_reason: 'stop_sequence', stop_sequence: matched };
  }
  return { stop_reason: STOP_REASONS[finish as string] ?? 'end_turn', stop_sequence: null };
}

/** Anthropic's usage: input tokens without the cached ones, which it counts apart. */
export function anthropicUsage(u: TokenUsage) {
  const cacheRead = u.cacheRead ?? 0;
  const cacheWrite = u.cacheWrite ?? 0;
  return {
    input_tokens: u.input - cacheRead - cacheWrite,
    output_tokens: u.output,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
  };
}

export const messageId = (chatId: unknown) =>
  typeof chatId === 'string' && chatId.startsWith('msg_') ? chatId : `msg_${typeof chatId === 'string' ? chatId : 'modelgate'}`;

/** `chat.completion` -> Messages `message`: text, refusal text and tool calls as blocks (arguments parsed). */
export function toMessage(completion: ChatObject, usage: TokenUsage, model: string, stopSequences: unknown): Body {
  const choice = completion.choices?.[0] ?? {};
  const message = choice.message ?? {};
  const content: Body[] = [];
  if (typeof message.content === 'string' && message.content) content.push({ type: 'text', text: message.content });
  if (typeof message.refusal === 'string' && message.refusal) content.push({ type: 'text', text: message.refusal });
  for (const call of message.tool_calls ?? []) {
    // A model's malformed arguments cannot become a tool_use input: the answer is unreadable (a 502).
    content.push({ type: 'tool_use', id: call.id, name: call.function?.name, input: JSON.parse(call.function?.arguments || '{}') });
  }
  const stop = message.refusal
    ? { stop_reason: 'refusal', stop_sequence: null }
    : stopOf(choice.finish_reason, choice.stop_reason, stopSequences);
  // Members written out, not `...stop`: V8 encodes the object a spread in mid-literal makes almost twice as slowly.
  return {
    id: messageId(completion.id),
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: stop.stop_reason,
    stop_sequence: stop.stop_sequence,
    usage: anthropicUsage(usage),
  };
}
