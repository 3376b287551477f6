// The parts of the OpenAPI document every config shares: the APIs' request and answer shapes (the members the
// gateway reads or writes; the APIs take more, passed on as they are), the error bodies and the statuses they come with.
type Json = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const object = (required: string[], properties: Json, extra: Json = {}): Json => ({ type: 'object', required, properties, ...extra });
const OPEN = { additionalProperties: true };

export const API_SCHEMAS: Readonly<Json> = {
  ChatCompletionRequest: object(
    ['model', 'messages'],
    {
      model: ref('ChatModel'),
      messages: { type: 'array', minItems: 1, items: object(['role'], { role: { type: 'string' }, content: {} }, OPEN) },
      stream: { type: 'boolean' },
      max_tokens: { type: 'integer', minimum: 1 },
      max_completion_tokens: { type: 'integer', minimum: 1 },
      response_format: {
        type: 'object',
        description: 'Structured output: `json_schema` reaches Anthropic models as forced tool use, Gemini models as a response schema.',
      },
      tools: { type: 'array', items: { type: 'object' } },
    },
    OPEN,
  ),
  ChatCompletion: object(
    ['id', 'object', 'model', 'choices'],
    {
      id: { type: 'string' },
      object: { const: 'chat.completion' },
      created: { type: 'integer' },
      model: { type: 'string' },
      choices: { type: 'array', items: { type: 'object' } },
      usage: ref('Usage'),
    },
    OPEN,
  ),
  Usage: object(
    ['prompt_tokens', 'completion_tokens'],
    {
      prompt_tokens: { type: 'integer' },
      completion_tokens: { type: 'integer' },
      total_tokens: { type: 'integer' },
    },
    OPEN,
  ),
  MessagesRequest: object(
    ['model', 'messages'],
    {
      model: ref('ChatModel'),
      messages: { type: 'array', items: object(['role', 'content'], { role: { enum: ['user', 'assistant'] }, content: {} }, OPEN) },
      max_tokens: { type: 'integer', minimum: 1 },
      system: {},
      stream: { type: 'boolean' },
    },
    OPEN,
  ),
  Message: object(
    ['id', 'type', 'role', 'content'],
    {
      id: { type: 'string' },
      type: { const: 'message' },
      role: { const: 'assistant' },
      content: { type: 'array', items: { type: 'object' } },
      usage: { type: 'object' },
    },
    OPEN,
  ),
  ResponsesRequest: object(
    ['model', 'input'],
    { model: ref('ChatModel'), input: {}, stream: { type: 'boolean' }, previous_response_id: { type: 'string' } },
    OPEN,
  ),
  Response: object(
    ['id', 'object'],
    { id: { type: 'string' }, object: { const: 'response' }, output: { type: 'array', items: { type: 'object' } } },
    OPEN,
  ),
  EmbeddingRequest: object(['model', 'input'], { model: ref('EmbeddingModel'), input: {} }, OPEN),
  EmbeddingList: object(
    ['object', 'data'],
    { object: { const: 'list' }, data: { type: 'array', items: { type: 'object' } }, usage: { type: 'object' } },
    OPEN,
  ),
  Model: object(['id', 'object'], { id: { type: 'string' }, object: { const: 'model' }, owned_by: { type: 'string' } }),
  ModelList: object(['object', 'data'], { object: { const: 'list' }, data: { type: 'array', items: ref('Model') } }),
  OpenAIError: object(['error'], {
    error: object(['message', 'type', 'code'], {
      message: { type: 'string' },
      type: { type: 'string' },
      param: { type: ['string', 'null'], description: 'The field at fault, for a 400.' },
      code: { type: ['string', 'null'] },
    }),
  }),
  AnthropicError: object(['type', 'error'], {
    type: { const: 'error' },
    error: object(['type', 'message'], { type: { type: 'string' }, message: { type: 'string' } }),
  }),
};

/** An API's error shape and the statuses it uses. */
export interface ErrorSet {
  schema: string;
  statuses: Readonly<Record<string, string>>;
}

const STATUSES = {
  400: 'The request is invalid: the message and `param` name the field.',
  401: 'No valid credential.',
  403: 'The credential is valid, but its consumer may not use this.',
  404: 'No such model, prompt or path.',
  413: 'The body is over the size limit.',
  429: 'A rate limit or the monthly budget is reached (`retry-after`).',
  500: 'The gateway failed.',
  502: 'The provider failed, or its answer was unreadable or off the response schema.',
  503: 'The rate-limit store is unavailable.',
  504: 'The provider did not answer in time.',
};

export const OPENAI_ERRORS: ErrorSet = { schema: 'OpenAIError', statuses: STATUSES };
export const ANTHROPIC_ERRORS: ErrorSet = { schema: 'AnthropicError', statuses: { ...STATUSES, 529: 'The provider is overloaded.' } };

export function errorResponses(set: ErrorSet): Json {
  return Object.fromEntries(
    Object.entries(set.statuses).map(([status, description]) => [
      status,
      { description, content: { 'application/json': { schema: ref(set.schema) } } },
    ]),
  );
}

export const jsonBody = (schema: Json): Json => ({ required: true, content: { 'application/json': { schema } } });
