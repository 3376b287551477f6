// The bench's mock upstream speaks each API as the provider does: the official SDKs read its answers, JSON and
// streamed, so every system the bench measures is served real wire formats.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProcessGroup, waitForLine } from '../lib/processes.ts';

const TEXT = 'Hello! How can I help you today?';
const group = new ProcessGroup();
let origin: string;
beforeAll(async () => {
  const mock = group.start('mock-upstream', process.execPath, ['bench/servers/mock-upstream.mjs'], { cwd: process.cwd() });
  origin = `http://127.0.0.1:${await waitForLine(mock, /listening (\d+)/, 10_000)}`;
});
afterAll(() => group.dispose());

const openai = () => new OpenAI({ baseURL: `${origin}/v1`, apiKey: 'sk-bench', maxRetries: 0 });
const anthropic = () => new Anthropic({ baseURL: origin, apiKey: 'sk-bench', maxRetries: 0 });
const user = [{ role: 'user' as const, content: 'Say hello.' }];

describe('bench mock upstream', () => {
  it('answers chat completions', async () => {
    const answer = await openai().chat.completions.create({ model: 'm', messages: user });
    expect(answer.choices[0]!.message.content).toBe(TEXT);
    const stream = await openai().chat.completions.create({ model: 'm', messages: user, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe(TEXT);
  });

  it('answers Anthropic Messages', async () => {
    const message = await anthropic().messages.create({ model: 'm', max_tokens: 64, messages: user });
    expect(message).toMatchObject({
      content: [{ type: 'text', text: TEXT }],
      stop_reason: 'end_turn',
      usage: { input_tokens: 9, output_tokens: 9 },
    });
    const streamed = await anthropic().messages.stream({ model: 'm', max_tokens: 64, messages: user }).finalMessage();
    expect(streamed).toMatchObject({ content: [{ type: 'text', text: TEXT }], stop_reason: 'end_turn', usage: { output_tokens: 9 } });
  });

  it('answers OpenAI Responses', async () => {
    const response = await openai().responses.create({ model: 'm', input: 'Say hello.' });
    expect(response.output_text).toBe(TEXT);
    expect(response.usage?.total_tokens).toBe(18);
    const streamed = await openai().responses.stream({ model: 'm', input: 'Say hello.' }).finalResponse();
    expect(streamed.output_text).toBe(TEXT);
  });

  it('answers 404 on other paths', async () => {
    const response = await fetch(`${origin}/v1/messages/count_tokens`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
  });
});
