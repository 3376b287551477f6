// The chat body the OpenAI adapter sends: the request's members in their order, the provider's model where the
// client put `model` (last when a translated body has none), the max-tokens field after them; the request's own
// object untouched, so that a fallback to another provider starts from the same body.
import { describe, expect, it } from 'vitest';
import { offlineOpenAI } from '../../test/support/stream-translation.ts';
import type { UpstreamCall } from './adapter.ts';
import { openAIAdapter } from './openai.ts';

const adapter = openAIAdapter(offlineOpenAI, 'k');
const model = offlineOpenAI.models[0]!;
const sent = (body: Record<string, unknown>, maxTokens?: number, stream = false) =>
  String((adapter.chat({ body, stream, includeUsage: false, maxTokens }, model) as UpstreamCall).body);

describe('OpenAI adapter: the chat body sent', () => {
  it('keeps the order of a translated body (no model) and adds model, then the max-tokens field', () => {
    const body = { messages: [{ role: 'user', content: 'Hi' }], temperature: 0.2 };
    expect(sent(body, 64)).toBe('{"messages":[{"role":"user","content":"Hi"}],"temperature":0.2,"model":"m","max_completion_tokens":64}');
    expect(body).toEqual({ messages: [{ role: 'user', content: 'Hi' }], temperature: 0.2 });
  });

  it("sets model where the client's body has it and the client's own max-tokens field in place", () => {
    const body = { model: 'route', max_tokens: 10, messages: [] };
    expect(sent(body, 8)).toBe('{"model":"m","max_tokens":8,"messages":[]}');
    expect(body.model).toBe('route');
  });

  it('asks a stream for usage without changing the stream options of the request', () => {
    const options = { include_obfuscation: false };
    expect(sent({ messages: [], stream: true, stream_options: options }, undefined, true)).toBe(
      '{"messages":[],"stream":true,"stream_options":{"include_obfuscation":false,"include_usage":true},"model":"m"}',
    );
    expect(options).toEqual({ include_obfuscation: false });
  });
});
