// Conversation state over a ResponseStore: `previous_response_id` expanded into the earlier turns, responses
// kept after they are answered, and `GET` / `DELETE /v1/responses/{id}`. Stateless without a store: clients
// such as Codex send the whole history with `store: false` anyway.
import { badRequest, GatewayError, notFound } from '../../errors.ts';
import { inputItems } from './request.ts';
import type { ResponseStore } from './store.ts';
import type { ResponseItem, ResponseObject, ResponsesRequest } from './types.ts';

export const STORE_SETTING = 'gateway.stores.responses';

/** Longest chain of previous responses followed: each link is a store read. */
export const MAX_CONVERSATION_TURNS = 1000;

/**
 * Whether the response to `request` is kept: a store is configured and the request does not say `store: false`
 * (OpenAI's default is true). Without a store `store: true` is no error: the response is kept nowhere, and its
 * `store` field says false.
 */
export const willStore = (store: ResponseStore | undefined, request: ResponsesRequest): boolean =>
  store !== undefined && request.store !== false;

const unknownResponse = (id: string, why = '') =>
  notFound('not_found', `No response with id '${id.slice(0, 200)}' is stored for this consumer${why}.`);

/**
 * The items of the conversation `request` continues (`previous_response_id`), oldest first: each earlier
 * response's input and output. None without the field; 400 without a store; 404 when a response of the chain is
 * unknown to this consumer (never stored, expired, deleted, or another consumer's: they look alike).
 */
export async function conversationHistory(
  store: ResponseStore | undefined,
  consumer: string,
  request: ResponsesRequest,
): Promise<ResponseItem[]> {
  const first = request.previous_response_id;
  if (!first) return [];
  if (!store) {
    throw badRequest(
      'unsupported_parameter',
      `'previous_response_id' needs conversation state, which this gateway keeps only when ${STORE_SETTING} is configured; send the whole conversation in 'input' instead.`,
      'previous_response_id',
    );
  }
  const turns: ResponseItem[][] = [];
  for (let id: unknown = first; typeof id === 'string' && id; ) {
    if (turns.length === MAX_CONVERSATION_TURNS)
      throw badRequest(
        'invalid_value',
        `'previous_response_id' starts a conversation of more than ${MAX_CONVERSATION_TURNS} responses.`,
        'previous_response_id',
      );
    const stored = await read(store.get(consumer, id));
    if (!stored) throw id === first ? unknownResponse(id) : unknownResponse(id, `, which response '${first}' continues`);
    turns.push([...stored.input, ...stored.response.output]);
    id = stored.response.previous_response_id;
  }
  return turns.reverse().flat();
}

/** Keeps `response` with its request's input when `willStore`. Rejects when the store fails (after the answer: log it). */
export async function rememberResponse(
  store: ResponseStore | undefined,
  consumer: string,
  request: ResponsesRequest,
  response: ResponseObject,
): Promise<void> {
  if (willStore(store, request)) await store!.put({ consumer, input: inputItems(request), response });
}

const NO_STORE = `: this gateway keeps responses only when ${STORE_SETTING} is configured`;

/** `GET /v1/responses/{id}`: the stored Response object. */
export async function retrieveResponse(store: ResponseStore | undefined, consumer: string, id: string): Promise<ResponseObject> {
  if (!store) throw unknownResponse(id, NO_STORE);
  const stored = await read(store.get(consumer, id));
  if (!stored) throw unknownResponse(id);
  return stored.response;
}

/** `DELETE /v1/responses/{id}`: OpenAI's deletion confirmation. */
export async function deleteResponse(
  store: ResponseStore | undefined,
  consumer: string,
  id: string,
): Promise<{ id: string; object: 'response'; deleted: true }> {
  if (!store) throw unknownResponse(id, NO_STORE);
  if (!(await read(store.delete(consumer, id)))) throw unknownResponse(id);
  return { id, object: 'response', deleted: true };
}

/** A store that cannot answer is a 503: a conversation that cannot be read must not look like an unknown one. */
function read<T>(answer: Promise<T>): Promise<T> {
  return answer.catch(() => {
    throw new GatewayError(
      503,
      'api_error',
      'store_unavailable',
      `The conversation store (${STORE_SETTING}) is unavailable; try again shortly.`,
    );
  });
}
