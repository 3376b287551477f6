// The OpenAI Responses API (`/v1/responses`): passed through to OpenAI and Azure OpenAI, translated through chat
// for the other providers, with conversation state in the gateway's store. See README.md for how the parts fit.
import type { Call } from '../../call.ts';
import type { IngressApi } from '../api.ts';
import { chatPivotLeg } from '../chat-pivot.ts';
import { openAIErrors } from '../openai-errors.ts';
import { fromChatAnswer } from './from-chat.ts';
import { passthroughLeg } from './passthrough.ts';
import { inputItems, parseResponses, redactResponses, type ResponsesApiRequest } from './request.ts';
import type { ResponseContext } from './response.ts';
import { ResponsesStreamTranslator } from './stream.ts';
import { toChat } from './to-chat.ts';

import { keepResponse } from './serve.ts';

export { serveResponses } from './serve.ts';
export { deleteResponse, retrieveResponse } from './conversation.ts';

const context = (call: Call, req: ResponsesApiRequest): ResponseContext => ({
  model: call.requestedModel!,
  request: req.body,
  stored: req.stored,
});

const pivotLeg = chatPivotLeg<ResponsesApiRequest>({
  toChat(call, req, c) {
    const { body, notes } = toChat(req.body, req.history, c.model);
    call.note(notes);
    return { body, stream: req.stream, includeUsage: false, maxTokens: req.maxTokens };
  },
  fromChat(call, req, completion, usage) {
    req.response = fromChatAnswer(completion, context(call, req), usage);
    return JSON.stringify(req.response);
  },
  events: (call, req) => new ResponsesStreamTranslator(context(call, req), (response) => (req.response = response)),
});

export const responsesApi: IngressApi<ResponsesApiRequest> = {
  name: 'responses',
  operation: 'chat',
  routeType: 'chat',
  errors: openAIErrors,
  parse: parseResponses,
  redact: redactResponses,
  prompts: (req) => [
    ...(req.body.instructions ? [{ role: 'system', content: req.body.instructions }] : []),
    ...req.history,
    ...inputItems(req.body),
  ],
  // A response the gateway keeps, or one continuing a conversation, is the consumer's own: never shared.
  cacheBody: (req) => (req.stored || req.body.previous_response_id ? undefined : req.body),
  settle: keepResponse,
  leg: (c) => (c.provider.adapter.native?.responses ? passthroughLeg : pivotLeg),
};
