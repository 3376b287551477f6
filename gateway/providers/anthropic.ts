// Anthropic Messages API: behind the OpenAI chat format (requests translated out, answers translated back), and
// natively for the Messages ingress API (bodies passed through).
import type { IRModel, IRProvider } from '../../compiler/ir/types.ts';
import { fromAnthropicUsage } from '../usage.ts';
import {
  endpoint,
  headerList,
  jsonCall,
  withHeaders,
  type Endpoint,
  type NativeCall,
  type OutgoingChat,
  type ProviderAdapter,
} from './adapter.ts';
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
  // Accept both `https://api.anthropic.com` and `https://api.anthropic.com/v1`.
  const root = provider.baseUrl.endsWith('/v1') ? provider.baseUrl : `${provider.baseUrl}/v1`;
  const messages = endpoint(`${root}/messages`);
  const withCredential = (headers: Record<string, string>) =>
    credential === undefined ? headers : { ...headers, 'x-api-key': credential };
  const headers = headerList(messages, withCredential(fixed));
  /** Client headers replace the provider's (only those Anthropic's API defines are forwarded: never the credential). */
  const native = (target: Endpoint): NativeCall => {
    const own = headerList(target, withCredential(fixed));
    return (body, forwarded) => jsonCall(target, withHeaders(own, forwarded), body);
  };

  return {
    chat: (req: OutgoingChat, model: IRModel) => jsonCall(messages, headers, JSON.stringify(toMessagesRequest(req, model.name))),
    chatResponse(body, req) {
      const message = JSON.parse(body.toString('utf8'));
      return translatedAnswer(toChatCompletion(message, req), fromAnthropicUsage(message.usage));
    },
    chatStream: (includeUsage, req, _model, chunks) => new AnthropicStream(includeUsage, req, chunks),
    native: { messages: native(messages), 'messages.count_tokens': native(endpoint(`${root}/messages/count_tokens`)) },
  };
}
