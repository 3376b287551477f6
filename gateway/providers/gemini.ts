// Google's Gemini API (generateContent, streamGenerateContent?alt=sse) behind the OpenAI chat format: requests
// translated out with the key in `x-goog-api-key`, answers, streams and errors translated back.
import type { IRModel, IRProvider } from '../../compiler/ir/types.ts';
import { endpoint, headerList, jsonCall, type OutgoingChat, type ProviderAdapter } from './adapter.ts';
import { GeminiStream } from './gemini-stream.ts';
import { googleFailure, toChatCompletion, toGenerateContentRequest } from './gemini-translate.ts';
import { translatedAnswer } from './openai-chat.ts';

export function geminiAdapter(provider: IRProvider, credential: string | undefined): ProviderAdapter {
  const fixed: Record<string, string> = { ...provider.headers, 'content-type': 'application/json' };
  if (credential !== undefined) fixed['x-goog-api-key'] = credential;
  const headers = headerList(endpoint(provider.baseUrl), fixed);
  const url = (model: IRModel, method: string) => endpoint(`${provider.baseUrl}/models/${encodeURIComponent(model.name)}:${method}`);
  const endpoints = new Map(
    provider.models.map((m) => [m.name, { generate: url(m, 'generateContent'), stream: url(m, 'streamGenerateContent?alt=sse') }]),
  );

  return {
    chat(req: OutgoingChat, model: IRModel) {
      const e = endpoints.get(model.name)!;
      return jsonCall(req.stream ? e.stream : e.generate, headers, JSON.stringify(toGenerateContentRequest(req)));
    },
    chatResponse: (body, _req, model) => translatedAnswer(toChatCompletion(JSON.parse(body.toString('utf8')), model.name)),
    chatStream: (includeUsage, _req, model, chunks) => new GeminiStream(includeUsage, model.name, chunks),
    failure: (f) => (f.kind === 'status' ? googleFailure(f.status, f.body, f.retryAfter) : f),
  };
}
