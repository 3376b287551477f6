// Anthropic Messages API behind the OpenAI chat format: requests translated out, answers translated back.
import type { IRModel, IRProvider } from '../../compiler/ir/types.ts';
import { endpoint, headerList, jsonCall, type OutgoingChat, type ProviderAdapter } from './adapter.ts';
import { AnthropicStream } from './anthropic-stream.ts';
import { toChatCompletion, toMessagesRequest } from './anthropic-translate.ts';
import { translatedAnswer } from './openai-chat.ts';

export const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';

export function anthropicAdapter(provider: IRProvider, credential: string | undefined): ProviderAdapter {
  const fixed: Record<string, string> = {
    ...provider.headers,
    'content-type': 'application/json',
    'anthropic-version': provider.apiVersion ?? DEFAULT_ANTHROPIC_VERSION,
  };
  if (credential !== undefined) fixed['x-api-key'] = credential;
  // Accept both `https://api.anthropic.com` and `https://api.anthropic.com/v1`.
  const messages = endpoint(provider.baseUrl.endsWith('/v1') ? `${provider.baseUrl}/messages` : `${provider.baseUrl}/v1/messages`);
  const headers = headerList(messages, fixed);

  return {
    chat: (req: OutgoingChat, model: IRModel) => jsonCall(messages, headers, JSON.stringify(toMessagesRequest(req, model.name))),
    chatResponse: (body) => translatedAnswer(toChatCompletion(JSON.parse(body.toString('utf8')))),
    chatStream: (includeUsage) => new AnthropicStream(includeUsage),
  };
}
