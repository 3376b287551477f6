// The Anthropic Messages API (`POST /v1/messages`): passed through to providers that speak it, translated
// through chat for the others; errors in Anthropic's shape.
import type { IngressApi } from '../api.ts';
import { chatPivotLeg } from '../chat-pivot.ts';
import { MessageEvents } from './chat-events.ts';
import { anthropicErrors } from './errors.ts';
import { toMessage } from './from-chat.ts';
import { passthroughLeg } from './passthrough.ts';
import { type MessagesRequest, parseMessages, redactMessages } from './request.ts';
import { toChat } from './to-chat.ts';

const pivotLeg = chatPivotLeg<MessagesRequest>({
  toChat: (_call, req, c) => toChat(req, c),
  fromChat: (call, req, completion, usage) => JSON.stringify(toMessage(completion, usage, call.requestedModel!, req.body.stop_sequences)),
  events: (call, req) => new MessageEvents(call.requestedModel!, req.body.stop_sequences),
});

export const messagesApi: IngressApi<MessagesRequest> = {
  name: 'messages',
  operation: 'chat',
  routeType: 'chat',
  errors: anthropicErrors,
  parse: parseMessages,
  redact: redactMessages,
  prompts: (req) =>
    req.body.system === undefined ? req.body.messages : [{ role: 'system', content: req.body.system }, ...req.body.messages],
  cacheBody: (req) => req.body,
  leg: (c) => (c.provider.adapter.native?.messages ? passthroughLeg : pivotLeg),
};
