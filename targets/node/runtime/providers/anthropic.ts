// Anthropic Messages API behind the OpenAI chat format: requests translated out, answers translated back.
import type { IRModel, IRProvider } from '../../../../compiler/ir/types.ts';
import { endpoint, type OutgoingChat, type ProviderAdapter } from './adapter.ts';
import { AnthropicStream } from './anthropic-stream.ts';
import { toChatCompletion, toMessagesRequest } from './anthropic-translate.ts';

export const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';

export function anthropicAdapter(provider: IRProvider, credential: string | undefined): ProviderAdapter {
  const headers: Record<string, string> = {
    ...provider.headers,
    'content-type': 'application/json',
    'anthropic-version': provider.apiVersion ?? DEFAULT_ANTHROPIC_VERSION,
  };
  if (credential !== undefined) headers['x-api-key'] = credential;
  // Accept both `https://api.anthropic.com` and `https://api.anthropic.com/v1`.
  const messages = endpoint(provider.baseUrl.endsWith('/v1') ? `${provider.baseUrl}/messages` : `${provider.baseUrl}/v1/messages`);

  return {
    chat(req: OutgoingChat, model: IRModel) {
      const text = JSON.stringify(toMessagesRequest(req, model.name));
      return { endpoint: messages, headers: { ...headers, 'content-length': Buffer.byteLength(text) }, body: text };
    },
    chatResponse(text) {
      const completion = toChatCompletion(JSON.parse(text));
      return { text: JSON.stringify(completion), usage: { input: completion.usage.prompt_tokens, output: completion.usage.completion_tokens } };
    },
    chatStream: (includeUsage) => new AnthropicStream(includeUsage),
  };
}
