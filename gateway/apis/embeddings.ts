// The OpenAI embeddings API: answers pass through as bytes, untouched.
import { badRequest, GatewayError } from '../errors.ts';
import { openAIAnswer } from '../providers/openai.ts';
import type { ApiRequest, IngressApi, Leg } from './api.ts';
import { openAIErrors } from './openai-errors.ts';

const leg: Leg<ApiRequest> = {
  request(_call, req, c) {
    if (!c.provider.adapter.embeddings)
      throw new GatewayError(502, 'api_error', 'unsupported_operation', `Provider "${c.provider.ir.name}" has no embeddings API.`);
    return c.provider.adapter.embeddings(req.body, c.model);
  },
  answer: (_call, _req, _c, bytes) => openAIAnswer(bytes),
  stream() {
    throw new Error('embeddings do not stream');
  },
};

export const embeddingsApi: IngressApi<ApiRequest> = {
  name: 'embeddings',
  operation: 'embeddings',
  routeType: 'embeddings',
  errors: openAIErrors,
  parse(body) {
    if (body.input === undefined) throw badRequest('invalid_input', '`input` is required.');
    return { body, stream: false };
  },
  redact(req, redact) {
    const { body } = req;
    if (typeof body.input === 'string') body.input = redact(body.input);
    else if (Array.isArray(body.input)) body.input = body.input.map((i: unknown) => (typeof i === 'string' ? redact(i) : i));
  },
  prompts: () => undefined,
  cacheBody: (req) => req.body,
  leg: () => leg,
};
