import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../errors.ts';
import { conversationHistory, deleteResponse, rememberResponse, retrieveResponse, willStore } from './conversation.ts';
import { fromChatAnswer } from './from-chat.ts';
import { validateRequest } from './request.ts';
import { createMemoryResponseStore, type ResponseStore } from './store.ts';
import { toChat } from './to-chat.ts';
import type { ResponsesRequest } from './types.ts';

const request = (fields: Record<string, unknown>) => validateRequest({ model: 'm', input: 'hi', ...fields });
const chatAnswer = (text: string) => ({ choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }] });

/** One turn as the gateway will run it: history, translation, the answer, and storing it. */
async function turn(store: ResponseStore | undefined, consumer: string, req: ResponsesRequest, answer: string) {
  const history = await conversationHistory(store, consumer, req);
  const chat = toChat(req, history).body;
  const response = fromChatAnswer(
    chatAnswer(answer),
    { model: req.model, request: req, stored: willStore(store, req) },
    { input: 3, output: 1 },
  );
  await rememberResponse(store, consumer, req, response);
  return { chat, response };
}

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(GatewayError);
  return err as GatewayError;
}

describe('conversation state', () => {
  it('stores unless the request says store: false, and only with a store', () => {
    const store = createMemoryResponseStore({ ttlMs: 60_000, maxEntries: 10 });
    expect(willStore(store, request({}))).toBe(true);
    expect(willStore(store, request({ store: true }))).toBe(true);
    expect(willStore(store, request({ store: false }))).toBe(false);
    expect(willStore(undefined, request({ store: true }))).toBe(false);
  });

  it('expands a previous_response_id chain into the earlier turns, oldest first', async () => {
    const store = createMemoryResponseStore({ ttlMs: 60_000, maxEntries: 10 });
    const first = await turn(store, 'alice', request({ instructions: 'first instructions', input: 'My name is Ada.' }), 'Hello Ada.');
    const second = await turn(
      store,
      'alice',
      request({ previous_response_id: first.response.id, input: [{ role: 'user', content: 'I live in Paris.' }] }),
      'Nice.',
    );
    expect(second.response.previous_response_id).toBe(first.response.id);
    const third = await turn(
      store,
      'alice',
      request({ previous_response_id: second.response.id, instructions: 'be brief', input: 'Who am I?' }),
      'Ada, of Paris.',
    );
    // Instructions are never carried over, as with OpenAI.
    expect(third.chat.messages).toEqual([
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'My name is Ada.' },
      { role: 'assistant', content: 'Hello Ada.' },
      { role: 'user', content: 'I live in Paris.' },
      { role: 'assistant', content: 'Nice.' },
      { role: 'user', content: 'Who am I?' },
    ]);
    expect(third.response.store).toBe(true);
  });

  it('answers 404 for a response of another consumer, an unknown one, or a broken chain', async () => {
    const store = createMemoryResponseStore({ ttlMs: 60_000, maxEntries: 10 });
    const first = await turn(store, 'alice', request({}), 'one');
    const second = await turn(store, 'alice', request({ previous_response_id: first.response.id }), 'two');

    const foreign = await failure(conversationHistory(store, 'bob', request({ previous_response_id: first.response.id })));
    expect([foreign.status, foreign.code]).toEqual([404, 'not_found']);
    expect(foreign.message).toContain(first.response.id);
    expect((await failure(conversationHistory(store, 'alice', request({ previous_response_id: 'resp_unknown' })))).status).toBe(404);

    await store.delete('alice', first.response.id);
    const broken = await failure(conversationHistory(store, 'alice', request({ previous_response_id: second.response.id })));
    expect(broken.status).toBe(404);
    expect(broken.message).toContain(`No response with id '${first.response.id}'`);
    expect(broken.message).toContain(second.response.id);
  });

  it('answers 400 naming the setting for previous_response_id without a store; store: true alone is fine', async () => {
    const err = await failure(conversationHistory(undefined, 'alice', request({ previous_response_id: 'resp_1' })));
    expect([err.status, err.code]).toEqual([400, 'unsupported_parameter']);
    expect(err.message).toContain('gateway.stores.responses');
    expect(err.message).toContain("'previous_response_id'");
    const { response } = await turn(undefined, 'alice', request({ store: true }), 'ok');
    expect(response.store).toBe(false);
  });

  it('keeps nothing for store: false', async () => {
    const store = createMemoryResponseStore({ ttlMs: 60_000, maxEntries: 10 });
    const { response } = await turn(store, 'alice', request({ store: false }), 'ok');
    expect(response.store).toBe(false);
    expect(await store.get('alice', response.id)).toBeUndefined();
  });

  it('retrieves and deletes stored responses, per consumer', async () => {
    const store = createMemoryResponseStore({ ttlMs: 60_000, maxEntries: 10 });
    const { response } = await turn(store, 'alice', request({}), 'ok');
    expect(await retrieveResponse(store, 'alice', response.id)).toEqual(response);
    expect((await failure(retrieveResponse(store, 'bob', response.id))).toJSON()).toMatchObject({
      error: { type: 'invalid_request_error', code: 'not_found' },
    });
    expect((await failure(deleteResponse(store, 'bob', response.id))).status).toBe(404);
    expect(await deleteResponse(store, 'alice', response.id)).toEqual({ id: response.id, object: 'response', deleted: true });
    expect((await failure(retrieveResponse(store, 'alice', response.id))).status).toBe(404);
    const none = await failure(retrieveResponse(undefined, 'alice', response.id));
    expect(none.status).toBe(404);
    expect(none.message).toContain('gateway.stores.responses');
  });

  it('answers 503 when the store fails, rather than saying the response is unknown', async () => {
    const broken: ResponseStore = {
      get: () => Promise.reject(new Error('ECONNREFUSED')),
      put: async () => {},
      delete: () => Promise.reject(new Error('x')),
      close: async () => {},
    };
    const err = await failure(conversationHistory(broken, 'alice', request({ previous_response_id: 'resp_1' })));
    expect([err.status, err.code]).toEqual([503, 'store_unavailable']);
    expect((await failure(deleteResponse(broken, 'alice', 'resp_1'))).status).toBe(503);
  });
});
