// The gateway's OpenAPI 3.1 document, from the IR alone: the OpenAI-compatible endpoints, Anthropic Messages,
// Responses, the prompt endpoints (`/v1/prompts/{name}` and each prompt's own path with its request and response
// schemas, examples from its test cases), the auth schemes and each API's error shape. `modelgate build` writes it
// (`openapi.yaml`); the gateway serves it at `GET /openapi.json`, cut down to what the caller may use: the
// document is made once per config, and a caller's view only picks paths and model names from it.
import { createHash } from 'node:crypto';
import type { IR, IRPrompt, IRRoute } from '../../compiler/ir/types.ts';
import { API_SCHEMAS, errorResponses, jsonBody, OPENAI_ERRORS, ANTHROPIC_ERRORS } from './components.ts';

type Json = Record<string, unknown>;

/** What a caller may use: route names (chat and embeddings) and prompt names. */
export interface CallerGrants {
  routes: readonly string[];
  prompts: (name: string) => boolean;
}

export interface OpenApi {
  /** Every path and model: what `modelgate build` writes. */
  readonly document: Json;
  /** The document cut down to what a caller may use. */
  forCaller(grants: CallerGrants): Json;
}

/** Which grant a path needs: a route type, a prompt, or none beyond being authenticated. */
type Need = { routeType: IRRoute['type'] } | { prompt: string } | { anyPrompt: true } | undefined;

export function buildOpenApi(ir: IR): OpenApi {
  const paths: [string, Json, Need][] = [
    ['/v1/chat/completions', chatCompletions(), { routeType: 'chat' }],
    ['/v1/messages', messages(), { routeType: 'chat' }],
    ['/v1/messages/count_tokens', countTokens(), { routeType: 'chat' }],
    ['/v1/responses', responses(), { routeType: 'chat' }],
    ['/v1/responses/{id}', storedResponse(), { routeType: 'chat' }],
    ['/v1/embeddings', embeddings(), { routeType: 'embeddings' }],
    ['/v1/models', modelList(), undefined],
    ['/v1/models/{id}', model(), undefined],
    ['/v1/prompts/{name}', promptByName(), { anyPrompt: true }],
    ...ir.prompts.filter((p) => p.expose).map((p): [string, Json, Need] => [p.expose!.path, exposed(p), { prompt: p.name }]),
    ['/openapi.json', openApiPath(), undefined],
  ];
  let version = '';
  const assemble = (routes: readonly IRRoute[], prompts: readonly IRPrompt[], keep: (need: Need) => boolean): Json => ({
    openapi: '3.1.0',
    info: {
      title: `${ir.gateway.name} AI gateway`,
      version,
      description: `The ${ir.environment.name} environment of the ${ir.gateway.name} gateway: OpenAI-compatible, Anthropic Messages and OpenAI Responses APIs over its routes, and its prompt APIs. Built by modelgate from the config repo.`,
    },
    security: [{ bearer: [] }, { apiKey: [] }],
    tags: [
      { name: 'openai', description: 'OpenAI-compatible API: the `model` is a route of this gateway or one of its aliases.' },
      { name: 'anthropic', description: 'Anthropic Messages API (Claude Code and the Anthropic SDKs).' },
      { name: 'prompts', description: 'Prompt templates of the config repo, rendered by the gateway.' },
      { name: 'gateway', description: "The gateway's own endpoints." },
    ],
    paths: Object.fromEntries(paths.filter(([, , need]) => keep(need)).map(([path, item]) => [path, item])),
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key of a Consumer, or a JWT of a configured issuer.' },
        apiKey: {
          type: 'apiKey',
          in: 'header',
          name: 'x-api-key',
          description: 'An API key of a Consumer (as Anthropic clients send it).',
        },
      },
      schemas: {
        ...API_SCHEMAS,
        ChatModel: modelNames(routes.filter((r) => r.type === 'chat')),
        EmbeddingModel: modelNames(routes.filter((r) => r.type === 'embeddings')),
        PromptName: { type: 'string', enum: prompts.map((p) => p.name).sort() },
      },
    },
  });
  // The version names the whole document's content: a caller's view changes it only when the config's API does.
  version = createHash('sha256')
    .update(JSON.stringify(assemble(ir.routes, ir.prompts, () => true)))
    .digest('hex')
    .slice(0, 12);
  const document = assemble(ir.routes, ir.prompts, () => true);
  return {
    document,
    forCaller({ routes, prompts }) {
      const granted = new Set(routes);
      const visibleRoutes = ir.routes.filter((r) => granted.has(r.name));
      const visiblePrompts = ir.prompts.filter((p) => prompts(p.name));
      const types = new Set(visibleRoutes.map((r) => r.type));
      return assemble(visibleRoutes, visiblePrompts, (need) => {
        if (!need) return true;
        if ('routeType' in need) return types.has(need.routeType);
        if ('prompt' in need) return prompts(need.prompt);
        return visiblePrompts.length > 0;
      });
    },
  };
}

/** The model ids that reach these routes: names and exact aliases listed, alias patterns as regular expressions. */
function modelNames(routes: readonly IRRoute[]): Json {
  const exact = routes.flatMap((r) => [r.name, ...(r.aliases?.exact ?? [])]).sort();
  const patterns = routes.flatMap((r) => r.aliases?.patterns ?? []).sort();
  const listed = { type: 'string', enum: exact };
  if (!patterns.length) return listed;
  return { anyOf: [listed, ...patterns.map((p) => ({ type: 'string', pattern: globRegex(p), description: `alias \`${p}\`` }))] };
}

const globRegex = (glob: string) =>
  `^${glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')}$`;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function chatCompletions(): Json {
  return {
    post: {
      tags: ['openai'],
      operationId: 'createChatCompletion',
      summary: 'Chat completion (SSE with `stream: true`)',
      requestBody: jsonBody(ref('ChatCompletionRequest')),
      responses: {
        200: {
          description: 'The completion; with `stream: true`, `chat.completion.chunk` events.',
          content: { 'application/json': { schema: ref('ChatCompletion') }, 'text/event-stream': { schema: { type: 'string' } } },
        },
        ...errorResponses(OPENAI_ERRORS),
      },
    },
  };
}

function messages(): Json {
  return {
    post: {
      tags: ['anthropic'],
      operationId: 'createMessage',
      summary: 'Anthropic Messages (SSE with `stream: true`)',
      requestBody: jsonBody(ref('MessagesRequest')),
      responses: {
        200: {
          description: 'The message; with `stream: true`, Anthropic stream events.',
          content: { 'application/json': { schema: ref('Message') }, 'text/event-stream': { schema: { type: 'string' } } },
        },
        ...errorResponses(ANTHROPIC_ERRORS),
      },
    },
  };
}

function countTokens(): Json {
  return {
    post: {
      tags: ['anthropic'],
      operationId: 'countMessageTokens',
      summary: 'Count the input tokens of a Messages request',
      requestBody: jsonBody(ref('MessagesRequest')),
      responses: {
        200: {
          description: 'The count.',
          content: {
            'application/json': {
              schema: { type: 'object', required: ['input_tokens'], properties: { input_tokens: { type: 'integer' } } },
            },
          },
        },
        ...errorResponses(ANTHROPIC_ERRORS),
      },
    },
  };
}

function responses(): Json {
  return {
    post: {
      tags: ['openai'],
      operationId: 'createResponse',
      summary: 'OpenAI Responses (SSE with `stream: true`)',
      requestBody: jsonBody(ref('ResponsesRequest')),
      responses: {
        200: {
          description: 'The response; with `stream: true`, Responses stream events.',
          content: { 'application/json': { schema: ref('Response') }, 'text/event-stream': { schema: { type: 'string' } } },
        },
        ...errorResponses(OPENAI_ERRORS),
      },
    },
  };
}

function storedResponse(): Json {
  const id = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }];
  const found = { description: 'The stored response.', content: { 'application/json': { schema: ref('Response') } } };
  return {
    get: {
      tags: ['openai'],
      operationId: 'getResponse',
      summary: 'A stored response of the caller',
      parameters: id,
      responses: { 200: found, ...errorResponses(OPENAI_ERRORS) },
    },
    delete: {
      tags: ['openai'],
      operationId: 'deleteResponse',
      summary: 'Delete a stored response of the caller',
      parameters: id,
      responses: {
        200: { description: 'Deleted.', content: { 'application/json': { schema: { type: 'object' } } } },
        ...errorResponses(OPENAI_ERRORS),
      },
    },
  };
}

function embeddings(): Json {
  return {
    post: {
      tags: ['openai'],
      operationId: 'createEmbedding',
      summary: 'Embeddings',
      requestBody: jsonBody(ref('EmbeddingRequest')),
      responses: {
        200: { description: 'The embeddings.', content: { 'application/json': { schema: ref('EmbeddingList') } } },
        ...errorResponses(OPENAI_ERRORS),
      },
    },
  };
}

function modelList(): Json {
  return {
    get: {
      tags: ['openai'],
      operationId: 'listModels',
      summary: 'The model ids the caller may use',
      responses: {
        200: { description: 'The list.', content: { 'application/json': { schema: ref('ModelList') } } },
        ...errorResponses(OPENAI_ERRORS),
      },
    },
  };
}

function model(): Json {
  return {
    get: {
      tags: ['openai'],
      operationId: 'getModel',
      summary: 'One model id the caller may use',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      responses: {
        200: { description: 'The model.', content: { 'application/json': { schema: ref('Model') } } },
        ...errorResponses(OPENAI_ERRORS),
      },
    },
  };
}

function promptByName(): Json {
  return {
    post: {
      tags: ['prompts'],
      operationId: 'runPrompt',
      summary: 'Render a prompt with its variables and run it on its route (SSE with `stream: true`)',
      parameters: [{ name: 'name', in: 'path', required: true, schema: ref('PromptName') }],
      requestBody: jsonBody({
        type: 'object',
        required: ['variables'],
        properties: { variables: { type: 'object' }, stream: { type: 'boolean' }, stream_options: { type: 'object' } },
      }),
      responses: {
        200: {
          description: 'A chat completion; the version served is in `x-modelgate-prompt-version`.',
          content: { 'application/json': { schema: ref('ChatCompletion') }, 'text/event-stream': { schema: { type: 'string' } } },
        },
        ...errorResponses(OPENAI_ERRORS),
      },
    },
  };
}

/** A prompt's own endpoint: its request and response schemas, its test cases as examples. */
function exposed(p: IRPrompt): Json {
  const { request, response } = p.expose!;
  const tests = p.tests ?? [];
  const examples = (pick: (t: NonNullable<IRPrompt['tests']>[number]) => unknown) => {
    const given = tests.filter((t) => pick(t) !== undefined);
    return given.length ? { examples: Object.fromEntries(given.map((t) => [t.name, { value: pick(t) }])) } : {};
  };
  const answer = response
    ? { 'application/json': { schema: response, ...examples((t) => t.response) } }
    : { 'application/json': { schema: ref('ChatCompletion') }, 'text/event-stream': { schema: { type: 'string' } } };
  const usage = {
    'x-modelgate-prompt-version': { description: 'The prompt version that answered.', schema: { type: 'string' } },
    ...(response
      ? {
          'x-modelgate-input-tokens': {
            description: 'Input tokens spent (both answers when the first was off the schema).',
            schema: { type: 'integer' },
          },
          'x-modelgate-output-tokens': { description: 'Output tokens spent.', schema: { type: 'integer' } },
          'x-modelgate-cost-usd': { description: 'What the call cost.', schema: { type: 'number' } },
        }
      : {}),
  };
  const errors = errorResponses(OPENAI_ERRORS);
  return {
    [p.expose!.method.toLowerCase()]: {
      tags: ['prompts'],
      operationId: `prompt_${p.name.replace(/[^A-Za-z0-9_]/g, '_')}`,
      summary: `Prompt ${p.name}`,
      description: response
        ? `Prompt \`${p.name}\` on route \`${p.route}\`: the body is its variables; the answer is a JSON object of the response schema, checked by the gateway (asked twice at most, else 502 \`response_schema_mismatch\`).`
        : `Prompt \`${p.name}\` on route \`${p.route}\`: the body is its variables; the answer is a chat completion, streamed with \`accept: text/event-stream\`.`,
      requestBody: { required: true, content: { 'application/json': { schema: request, ...examples((t) => t.request) } } },
      responses: { 200: { description: 'The answer.', headers: usage, content: answer }, ...errors },
    },
  };
}

function openApiPath(): Json {
  return {
    get: {
      tags: ['gateway'],
      operationId: 'getOpenApi',
      summary: 'This document, cut down to what the caller may use',
      responses: {
        200: { description: 'OpenAPI 3.1.', content: { 'application/json': { schema: { type: 'object' } } } },
        ...errorResponses(OPENAI_ERRORS),
      },
    },
  };
}
