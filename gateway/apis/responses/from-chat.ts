// A chat completion (the pivot's answer) as a Response object.
import { customToolNames, draftResponse, finishedResponse, itemStatus, messageItem, newId, refusalPart, type ResponseContext, textPart, toolCallItem } from './response.ts';
import type { Json, ResponseItem, ResponseObject } from './types.ts';

/** Throws on an answer without a choice: the caller turns that into a 502, as for any unreadable answer. */
export function fromChatAnswer(chat: unknown, ctx: ResponseContext): ResponseObject {
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
  const custom = customToolNames(ctx.request);
  for (const call of calls) {
    const fn = (call.function ?? {}) as Json;
    const name = String(fn.name ?? '');
    output.push(toolCallItem(newId(custom.has(name) ? 'ctc' : 'fc'), String(call.id ?? newId('call')), name, String(fn.arguments ?? ''), status, custom.has(name)));
  }
  return finishedResponse(draftResponse(ctx), choice.finish_reason, output, (chat as Json).usage);
}
