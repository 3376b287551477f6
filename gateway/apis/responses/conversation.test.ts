import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../errors.ts';
import { conversationHistory, deleteResponse, rememberResponse, retrieveResponse, willStore } from './conversation.ts';
import { fromChatAnswer } from './from-chat.ts';
import { validateRequest } from './request.ts';
import { createMemoryResponseStore, type ResponseStore } from './store.ts';
import { toChat } from './to-chat.ts';
import type { ResponsesRequest } from './types.ts';

const request = (fields: Record<string, unknown>) => validateRequest({ model: 'm', input: 'hi', ...fields });
const chatAnswer = (text: string) => ({ choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 1 } });

/** One turn as the gateway will run it: history, translation, the answer, and storing it. */
async function turn(store: ResponseStore | undefined, consumer: string, req: ResponsesRequest, answer: string) {
  const history = await conversationHistory(store, consumer, req);
  const chat = toChat(req, history).body;
  const response = fromChatAnswer(chatAnswer(answer), { model: req.model, request: req, stored: willStore(store, req) });
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
    const second = await turn(store, 'alice', request({ previous_response_id: first.response.id, input: [{ role: 'user', content: 'I live in Paris.' }] }), 'Nice.');
    expect(second.response.previous_response_id).toBe(first.response.id);
    const third = await turn(store, 'alice', request({ previous_response_id: second.response.id, instructions: 'be brief', input: 'Who am I?' }), 'Ada, of Paris.');
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
    expect(await retrieveResponse(store, 'alice', response.id)).toEqual({ status: 200, body: response });
    expect(await retrieveResponse(store, 'bob', response.id)).toMatchObject({ status: 404, body: { error: { type: 'invalid_request_error', code: 'not_found' } } });
    expect(await deleteResponse(store, 'bob', response.id)).toMatchObject({ status: 404 });
    expect(await deleteResponse(store, 'alice', response.id)).toEqual({ status: 200, body: { id: response.id, object: 'response', deleted: true } });
    expect(await retrieveResponse(store, 'alice', response.id)).toMatchObject({ status: 404 });
    const none = await retrieveResponse(undefined, 'alice', response.id);
    expect(none).toMatchObject({ status: 404 });
    expect(JSON.stringify(none.body)).toContain('gateway.stores.responses');
  });
});

// The official SDK's previous_response_id, retrieve and delete against a server built on these functions; the API
// key names the consumer.
describe('conversation state with the official openai SDK', () => {
  const store = createMemoryResponseStore({ ttlMs: 60_000, maxEntries: 100 });
  const chats: Record<string, any>[] = [];
  let server: Server;
  let alice: OpenAI;
  let bob: OpenAI;

  async function handle(method: string, path: string, consumer: string, body: string) {
    const id = /^\/v1\/responses\/([^/]+)$/.exec(path)?.[1];
    if (method === 'GET' && id) return retrieveResponse(store, consumer, id);
    if (method === 'DELETE' && id) return deleteResponse(store, consumer, id);
    const { chat, response } = await turn(store, consumer, validateRequest(JSON.parse(body)), `answer ${chats.length + 1}`);
    chats.push(chat);
    return { status: 200, body: response };
  }

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const consumer = String(req.headers.authorization).replace('Bearer ', '');
        handle(req.method!, req.url!, consumer, body)
          .catch((err: GatewayError) => ({ status: err.status, body: err.toJSON() }))
          .then(({ status, body: reply }) => {
            res.writeHead(status, { 'content-type': 'application/json' });
            res.end(JSON.stringify(reply));
          });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    alice = new OpenAI({ baseURL, apiKey: 'alice', maxRetries: 0 });
    bob = new OpenAI({ baseURL, apiKey: 'bob', maxRetries: 0 });
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('continues a conversation, retrieves and deletes it; another consumer gets 404', async () => {
    const first = await alice.responses.create({ model: 'm', input: 'My name is Ada.' });
    const second = await alice.responses.create({ model: 'm', input: 'What is my name?', previous_response_id: first.id });
    expect(second.previous_response_id).toBe(first.id);
    expect(chats.at(-1)!.messages).toEqual([
      { role: 'user', content: 'My name is Ada.' },
      { role: 'assistant', content: 'answer 1' },
      { role: 'user', content: 'What is my name?' },
    ]);

    expect((await alice.responses.retrieve(second.id)).output_text).toBe('answer 2');
    await expect(bob.responses.retrieve(second.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(bob.responses.create({ model: 'm', input: 'x', previous_response_id: first.id })).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(bob.responses.delete(first.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);

    await alice.responses.delete(first.id);
    await expect(alice.responses.retrieve(first.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(alice.responses.create({ model: 'm', input: 'x', previous_response_id: second.id })).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});
