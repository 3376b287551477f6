// The response-side guardrails of the deciding access policy on a tool call's result, before the client sees it:
// the text items and embedded resources' texts of its `content`, and every string of its `structuredContent`. A mask rewrites them in the result;
// a block, or a checker failing under `onError: deny`, replaces the result with a JSON-RPC error. A result that
// arrives where the gateway no longer knows its tool (a resumed stream) is withheld when it would have been checked.
import { GatewayError } from '../errors.ts';
import { answerSlots, type Slot } from '../guardrails/answer-texts.ts';
import type { Guards } from '../guardrails/guards.ts';
import { errorMessage, INTERNAL_ERROR, INVALID_PARAMS, type RpcId, type RpcResponse, RpcError } from './jsonrpc.ts';
import type { ServerAccess } from './access.ts';
import type { McpContext } from './context.ts';
import type { ToolCall } from './tool-call.ts';

/**
 * The answer after the guardrails: undefined when it passes as it is; the same object masked in place; or, when
 * refused, an error message in its place, the call recorded as denied.
 */
export async function guardResult<A extends { id?: RpcId | null; result?: unknown }>(
  guards: Guards,
  call: ToolCall,
  answer: A,
): Promise<A | RpcResponse | undefined> {
  const slots = resultSlots(answer.result);
  if (slots.length === 0) return undefined;
  try {
    return (await guards.checkSlots(call, slots)) ? answer : undefined;
  } catch (err) {
    const refusal = guardrailRefusal(err);
    call.finish(200, 'denied');
    return errorMessage(answer.id ?? null, refusal);
  }
}

/**
 * A tool's result on a stream the client resumed (`GET` with Last-Event-ID) or on its standalone stream: the gateway no
 * longer knows which tool it answers, so which policy's guardrails apply. When any policy granting the consumer
 * this server checks answers, the result is withheld (an error in its place), never passed unchecked.
 */
export function withheldResult(c: McpContext, access: ServerAccess, message: Record<string, any>): Record<string, any> {
  if ('method' in message || !Array.isArray(message.result?.content)) return message;
  if (!access.policies.some((p) => c.snap.guards(p)?.checksAnswers)) return message;
  const err = new RpcError(
    INTERNAL_ERROR,
    'A tool result that arrives on a resumed stream cannot be checked by the guardrails of its access policy, so the gateway withheld it; call the tool again.',
  );
  return errorMessage(message.id ?? null, err);
}

/** A guardrail's refusal as the JSON-RPC error an MCP client gets: a block is invalid params, a failing checker internal. */
export function guardrailRefusal(err: unknown): RpcError {
  if (!(err instanceof GatewayError)) throw err;
  return new RpcError(err.status === 503 ? INTERNAL_ERROR : INVALID_PARAMS, err.message);
}

function resultSlots(result: unknown): Slot[] {
  const slots: Slot[] = [];
  if (!result || typeof result !== 'object') return slots;
  const { content, structuredContent } = result as { content?: unknown; structuredContent?: unknown };
  if (Array.isArray(content)) {
    for (const item of content) {
      if (item?.type === 'text' && typeof item.text === 'string') slots.push({ holder: item, key: 'text' });
      // An embedded resource's text is as much the tool's answer as a text item.
      else if (item?.type === 'resource' && typeof item.resource?.text === 'string') slots.push({ holder: item.resource, key: 'text' });
    }
  }
  return answerSlots(structuredContent, true, slots);
}
