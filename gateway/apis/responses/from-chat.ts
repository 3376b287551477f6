// A chat completion (the pivot's answer) as a Response object.
import type { TokenUsage } from '../../usage.ts';
import {
  callIdPrefix,
  chatToolNames,
  draftResponse,
  finishedResponse,
  itemStatus,
  messageItem,
  newId,
  refusalPart,
  type ResponseContext,
  textPart,
  toolCallItem,
} from './response.ts';
import type { Json, ResponseItem, ResponseObject } from './types.ts';

/** `usage` as the adapter read it. Throws on an answer without a choice: the caller turns that into a 502. */
export function fromChatAnswer(chat: unknown, ctx: ResponseContext, usage: TokenUsage): ResponseObject {
  const choice = ((chat as Json | null)?.choices as Json[] | undefined)?.[0];
  if (!choice || typeof choice !== 'object') throw new Error('chat completion without a choice');
  const message = (choice.message ?? {}) as Json;
  const status = itemStatus(choice.finish_reason);

  const output: ResponseItem[] = [];
  const content: Json[] = [];
  if (typeof message.content === 'string' && message.content) content.push(textPart(message.content));
  if (typeof message.refusal === 'string' && message.refusal) content.push(refusalPart(message.refusal));
  const calls = Array.isArray(message.tool_calls) ? (message.tool_calls as Json[]) : [];
  // An answer with neither text nor calls is still one (empty) message, so that clients find its text.
  if (content.length || !calls.length) output.push(messageItem(newId('msg'), content.length ? content : [textPart('')], status));
  const tools = chatToolNames(ctx.request);
  for (const call of calls) {
    const fn = (call.function ?? {}) as Json;
    const name = String(fn.name ?? '');
    output.push(
      toolCallItem(newId(callIdPrefix(tools, name)), String(call.id ?? newId('call')), name, String(fn.arguments ?? ''), status, tools),
    );
  }
  return finishedResponse(draftResponse(ctx), choice.finish_reason, output, usage);
}
