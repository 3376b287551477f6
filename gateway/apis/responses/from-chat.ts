// A chat completion (the pivot's answer) as a Response object.
import { draftResponse, finishedResponse, functionCallItem, itemStatus, messageItem, newId, refusalPart, type ResponseContext, textPart } from './response.ts';
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
  for (const call of calls) {
    const fn = (call.function ?? {}) as Json;
    output.push(functionCallItem(newId('fc'), String(call.id ?? newId('call')), String(fn.name ?? ''), String(fn.arguments ?? ''), status));
  }
  return finishedResponse(draftResponse(ctx), choice.finish_reason, output, (chat as Json).usage);
}
