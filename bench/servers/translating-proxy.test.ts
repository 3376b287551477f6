// The floor of translation is measured only if it translates: the official SDKs read its answers, JSON and
// streamed, on both APIs, through the mock upstream speaking the other API (Messages over chat, Responses over
// Anthropic Messages).
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessGroup, waitForLine } from '../lib/processes.ts';

const TEXT = 'Hello! How can I help you today?';
const group = new ProcessGroup();
let origin: string;
beforeAll(async () => {
  const mock = group.start('mock-upstream', process.execPath, ['bench/servers/mock-upstream.mjs'], { cwd: process.cwd() });
  const upstream = `http://127.0.0.1:${await waitForLine(mock, /listening (\d+)/, 10_000)}`;
  const proxy = group.start('translating-proxy', process.execPath, ['bench/servers/translating-proxy.mjs', upstream], {
    cwd: process.cwd(),
  });
  origin = `http://127.0.0.1:${await waitForLine(proxy, /listening (\d+)/, 10_000)}`;
});
afterAll(() => group.dispose());

describe('bench translating proxy', () => {
  it('answers Anthropic Messages from a chat provider', async () => {
    const anthropic = new Anthropic({ baseURL: origin, apiKey: 'sk-bench', maxRetries: 0 });
    const request = { model: 'claude-x', max_tokens: 64, messages: [{ role: 'user' as const, content: 'Say hello.' }] };
    const message = await anthropic.messages.create(request);
    expect(message).toMatchObject({
      type: 'message',
      model: 'claude-x',
      content: [{ type: 'text', text: TEXT }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 9, output_tokens: 9 },
    });
    const stream = anthropic.messages.stream(request);
    const events: string[] = [];
    stream.on('streamEvent', (e) => events.push(e.type));
    const streamed = await stream.finalMessage();
    expect(streamed).toMatchObject({ content: [{ type: 'text', text: TEXT }], stop_reason: 'end_turn', usage: { output_tokens: 9 } });
    expect(events).toEqual([
      'message_start',
      'content_block_start',
      ...Array(4).fill('content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });

  it('answers OpenAI Responses from an Anthropic provider', async () => {
    const openai = new OpenAI({ baseURL: `${origin}/v1`, apiKey: 'sk-bench', maxRetries: 0 });
    const response = await openai.responses.create({ model: 'gpt-x', input: 'Say hello.', max_output_tokens: 64 });
    expect(response).toMatchObject({ object: 'response', status: 'completed', model: 'gpt-x', output_text: TEXT });
    expect(response.usage).toMatchObject({ input_tokens: 9, output_tokens: 9, total_tokens: 18 });
    const stream = openai.responses.stream({ model: 'gpt-x', input: 'Say hello.', max_output_tokens: 64 });
    const events: { type: string; sequence_number: number }[] = [];
    stream.on('event', (e) => events.push(e));
    const streamed = await stream.finalResponse();
    expect(streamed.output_text).toBe(TEXT);
    expect(streamed.usage?.total_tokens).toBe(18);
    // The events modelgate's translation sends, numbered from 0.
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      ...Array(4).fill('response.output_text.delta'),
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
  });
});
