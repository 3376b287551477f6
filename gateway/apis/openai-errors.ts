// Errors as OpenAI writes them, for the OpenAI-compatible APIs (chat completions, embeddings, models, Responses).
import type { GatewayError } from '../errors.ts';
import { sseData } from '../http/sse.ts';
import type { ApiFace, ErrorShape } from './face.ts';

export const openAIErrors: ErrorShape = {
  status: (err: GatewayError) => err.status,
  body: (err: GatewayError) => JSON.stringify(err),
  // A `data:` line with the error object, as OpenAI ends a failed stream.
  event: (err: GatewayError) => sseData(err.toJSON()),
};

/** `GET /v1/models` and `GET /v1/models/{id}`. */
export const modelsFace: ApiFace = { name: 'models', errors: openAIErrors };
/** What a call is until its endpoint says otherwise. */
export const chatFace: ApiFace = { name: 'chat', errors: openAIErrors };
