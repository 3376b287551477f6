// The HTTP surface: probes, metrics, and the API endpoints (OpenAI-compatible, Anthropic Messages and OpenAI
// Responses), each authenticating the caller and authorising the route or prompt before the proxy takes over.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IRAccessPolicy, IRRoute } from '../compiler/ir/types.ts';
import type { ApiRequest, IngressApi, RequestReader } from './apis/api.ts';
import type { ApiFace } from './apis/face.ts';
import { chatApi } from './apis/chat.ts';
import { embeddingsApi } from './apis/embeddings.ts';
import { countTokens, countTokensApi } from './apis/messages/count-tokens.ts';
import { messagesApi } from './apis/messages/index.ts';
import { modelsFace } from './apis/openai-errors.ts';
import { deleteResponse, responsesApi, retrieveResponse, serveResponses } from './apis/responses/index.ts';
import { structuredApi } from './apis/structured.ts';
import type { AuthResult } from './auth/index.ts';
import { Call } from './call.ts';
import { badRequest, forbidden, GatewayError, notFound } from './errors.ts';
import { readBody, sendJson } from './http/io.ts';
import type { Logger } from './log.ts';
import type { CompiledPrompt } from './prompts.ts';
import type { OutgoingChat } from './providers/adapter.ts';
import type { GatewayMetrics } from './metrics.ts';
import { isMcpPath, serveMcp } from './mcp/serve.ts';
import { proxy } from './proxy.ts';
import type { Snapshot } from './snapshot.ts';

/** What the handler reads from the running gateway on every request. */
export interface GatewayState {
  readonly snapshot: Snapshot;
  readonly metrics: GatewayMetrics;
  readonly draining: boolean;
  readonly log: Logger;
  /** Called when a response is over (sent, failed or abandoned). */
  responseDone(): void;
}

type Body = Record<string, any>;
type Serve = (call: Call, auth: AuthResult, arg: string) => Promise<void>;

/** An endpoint: what serves it, its method, and the API whose shape its errors take. */
interface Endpoint {
  serve: Serve;
  method: 'GET' | 'POST' | 'DELETE';
  api: ApiFace;
  /** The methods the path takes, when several endpoints share it (the `allow` of a 405). */
  allow?: string;
}

const PROMPTS = '/v1/prompts/';
const MODELS = '/v1/models/';
const RESPONSES = '/v1/responses/';

export function createHandler(state: GatewayState): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (path === '/healthz') return probe(res, 200, 'ok');
    if (path === '/readyz') return state.draining ? probe(res, 503, 'draining') : probe(res, 200, 'ready');
    const snap = state.snapshot;
    const { metrics } = snap.ir.gateway;
    if (metrics.enabled && path === metrics.path) return void serveMetrics(state.metrics, res);
    if (isMcpPath(path)) return serveMcp(state, req, res, path);

    let endpoint: Endpoint | undefined;
    let arg = '';
    if (path === '/v1/chat/completions') endpoint = CHAT;
    else if (path === '/v1/messages') endpoint = MESSAGES;
    else if (path === '/v1/messages/count_tokens') endpoint = COUNT_TOKENS;
    else if (path === '/v1/responses') endpoint = RESPONSES_CREATE;
    else if (path === '/v1/embeddings') endpoint = EMBEDDINGS;
    else if (path === '/v1/models') endpoint = MODEL_LIST;
    else if (path === '/openapi.json') endpoint = OPENAPI;
    else if (path.startsWith(MODELS) && path.length > MODELS.length) [endpoint, arg] = [MODEL, path.slice(MODELS.length)];
    else if (path.startsWith(PROMPTS) && path.length > PROMPTS.length) [endpoint, arg] = [PROMPT, path.slice(PROMPTS.length)];
    else if (path.startsWith(RESPONSES) && path.length > RESPONSES.length)
      [endpoint, arg] = [req.method === 'DELETE' ? RESPONSE_DELETE : RESPONSE_GET, path.slice(RESPONSES.length)];
    else if (snap.exposed.has(path)) [endpoint, arg] = [EXPOSED_PROMPT, snap.exposed.get(path)!.ir.name];

    const call = new Call(snap, req, res, state.metrics, state.responseDone);
    if (state.draining) call.headers.connection = 'close';
    // An unknown path keeps the default (OpenAI's) error shape.
    if (!endpoint) {
      const endpoints =
        '/v1/chat/completions, /v1/messages, /v1/messages/count_tokens, /v1/responses, /v1/responses/{id}, /v1/embeddings, /v1/models, /v1/models/{id}, /v1/prompts/{name}, /openapi.json (and the prompts exposed at paths of their own)';
      return call.fail(notFound('unknown_endpoint', `No endpoint ${path}. Endpoints: ${endpoints}.`));
    }
    call.api = endpoint.api;
    if (req.method !== endpoint.method) {
      call.headers.allow = endpoint.allow ?? endpoint.method;
      return call.fail(new GatewayError(405, 'invalid_request_error', 'method_not_allowed', `${path} takes ${call.headers.allow}.`));
    }
    // API keys are checked synchronously: only a JWT being verified makes the request wait for its result.
    const auth = snap.authenticate(req.headers);
    const run = endpoint.serve;
    const served = auth instanceof Promise ? auth.then((result) => run(call, result, arg)) : run(call, auth, arg);
    served.catch((err) => {
      if (!(err instanceof GatewayError)) {
        state.log.log('error', 'request failed', { requestId: call.id, error: (err as Error)?.stack ?? String(err) });
        err = new GatewayError(
          500,
          'api_error',
          'internal_error',
          `The gateway failed on this request (${call.id}); its log has the details.`,
        );
      }
      call.fail(err);
    });
  };
}

/** An API's endpoint: the caller, the body, its route and the policy granting it, the API's checks, then `run`. */
function apiEndpoint<R extends ApiRequest, A extends RequestReader<R>>(
  api: A,
  run: (call: Call, api: A, route: IRRoute, policy: IRAccessPolicy, req: R) => Promise<void>,
): Endpoint {
  const serve = async (call: Call, auth: AuthResult) => {
    admit(call, auth);
    const raw = await readBody(call.req, call.snap.ir.gateway.limits.maxBodyBytes);
    const body = parseJson(raw);
    const route = routeFor(call, body, api.routeType);
    const policy = authorizeRoute(call, route.name);
    await run(call, api, route, policy, api.parse(body, raw, route));
  };
  return { serve, method: 'POST', api };
}

const modelObject = (id: string) => ({ id, object: 'model', created: 0, owned_by: 'modelgate' });

async function modelList(call: Call, auth: AuthResult): Promise<void> {
  const consumer = admit(call, auth);
  call.respond(
    200,
    JSON.stringify({ object: 'list', data: call.snap.models.listed(call.snap.access.visibleRoutes(consumer)).map(modelObject) }),
  );
}

/** `GET /openapi.json`: the gateway's OpenAPI document, only what the caller may use in it. */
async function openApi(call: Call, auth: AuthResult): Promise<void> {
  call.respond(200, call.snap.openApi(admit(call, auth)));
}

/** `GET /v1/models/{id}`: any id a chat call could use (route name or alias); like OpenAI, one the caller may not use is not found. */
async function model(call: Call, auth: AuthResult, encodedId: string): Promise<void> {
  const consumer = admit(call, auth);
  const id = decodeSegment(encodedId);
  const route = call.snap.models.resolve(id);
  if (!route || !call.snap.access.authorizeRoute(consumer, route.name))
    throw notFound('model_not_found', `The model \`${id.slice(0, 200)}\` does not exist or you do not have access to it.`);
  call.respond(200, JSON.stringify(modelObject(id)));
}

/** `POST /v1/prompts/{name}` with `{variables, stream?, stream_options?}`: rendered, then sent to the prompt's route. */
async function prompt(call: Call, auth: AuthResult, encodedName: string): Promise<void> {
  admit(call, auth);
  const body = await readJson(call);
  const name = decodeSegment(encodedName);
  const compiled = call.snap.prompts.get(name);
  if (!compiled) throw notFound('prompt_not_found', `No prompt "${name}".`);
  const policy = authorizePrompt(call, name);
  const stream = body.stream === true ? { stream_options: body.stream_options } : undefined;
  await runPrompt(call, compiled, policy, body.variables, stream, chatApi);
}

/**
 * A prompt's own endpoint (`expose`): the body is the variables, checked against the request schema; with a
 * response schema the answer is the JSON object the model wrote, else a chat completion, streamed on
 * `accept: text/event-stream`.
 */
async function exposedPrompt(call: Call, auth: AuthResult, name: string): Promise<void> {
  admit(call, auth);
  const body = await readJson(call);
  const compiled = call.snap.prompts.get(name)!;
  const policy = authorizePrompt(call, name);
  call.prompt = name; // named in the usage line of a refused request too
  const structured = structuredFor(compiled);
  const stream = call.req.headers.accept?.includes('text/event-stream') ? {} : undefined;
  if (stream && structured)
    throw badRequest('stream_unsupported', `Prompt "${name}" answers one JSON object (its response schema); it does not stream.`);
  const api = structured ?? chatApi;
  call.api = api;
  compiled.contract!.checkRequest(body);
  await runPrompt(call, compiled, policy, body, stream, api);
}

/** Each prompt's structured API (with a response schema), made on its first call, kept while its config is. */
const structuredApis = new WeakMap<CompiledPrompt, IngressApi<OutgoingChat>>();

function structuredFor(compiled: CompiledPrompt): IngressApi<OutgoingChat> | undefined {
  const { expose } = compiled.ir;
  const responseError = compiled.contract?.responseError;
  if (!expose?.response || !responseError) return undefined;
  let api = structuredApis.get(compiled);
  if (!api) structuredApis.set(compiled, (api = structuredApi(compiled.ir.name, expose.response, responseError)));
  return api;
}

function authorizePrompt(call: Call, name: string): IRAccessPolicy {
  const policy = call.snap.access.authorizePrompt(call.consumer!, name);
  if (!policy) throw forbidden('prompt_not_permitted', `Consumer "${call.consumer}" may not call prompt "${name}".`);
  call.policy = policy.name;
  return policy;
}

/** Renders the prompt and sends it to its route through `api` (chat completions, or a structured answer). */
async function runPrompt(
  call: Call,
  compiled: CompiledPrompt,
  policy: IRAccessPolicy,
  variables: unknown,
  stream: { stream_options?: unknown } | undefined,
  api: IngressApi<OutgoingChat>,
): Promise<void> {
  call.prompt = compiled.ir.name;
  const route = call.snap.routes.get(compiled.ir.route)!;
  call.route = call.requestedModel = route.name;
  const rendered = compiled.render(variables);
  call.promptVersion = rendered.version;
  call.headers['x-modelgate-prompt-version'] = rendered.version;
  const chatBody: Body = { model: route.name, messages: rendered.messages };
  if (rendered.temperature !== undefined) chatBody.temperature = rendered.temperature;
  if (rendered.maxTokens !== undefined) chatBody.max_tokens = rendered.maxTokens;
  // Providers refuse stream_options on a call that does not stream.
  if (stream) {
    chatBody.stream = true;
    if (stream.stream_options !== undefined) chatBody.stream_options = stream.stream_options;
  }
  await proxy(call, api, route, policy, api.parse(chatBody, NO_BYTES, route));
}

const NO_BYTES = Buffer.alloc(0);

/**
 * `GET` and `DELETE /v1/responses/{id}`: answered from the gateway's store, never by a provider (whose store, were
 * it used, would be shared by every consumer of the gateway's key); a caller reaches its own responses only.
 */
function storedResponse(op: typeof retrieveResponse | typeof deleteResponse): Serve {
  return async (call, auth, encodedId) => {
    const consumer = admit(call, auth);
    call.respond(200, JSON.stringify(await op(call.snap.responses, consumer, decodeSegment(encodedId))));
  };
}

const CHAT = apiEndpoint(chatApi, proxy);
const MESSAGES = apiEndpoint(messagesApi, proxy);
const RESPONSES_CREATE = apiEndpoint(responsesApi, serveResponses);
/** The Responses API's name and errors, without its GenAI operation: reading the store is no model call (no span). */
const STORED_RESPONSE: ApiFace = { name: responsesApi.name, errors: responsesApi.errors };
const RESPONSE_GET: Endpoint = { serve: storedResponse(retrieveResponse), method: 'GET', api: STORED_RESPONSE, allow: 'GET, DELETE' };
const RESPONSE_DELETE: Endpoint = { serve: storedResponse(deleteResponse), method: 'DELETE', api: STORED_RESPONSE, allow: 'GET, DELETE' };
const EMBEDDINGS = apiEndpoint(embeddingsApi, proxy);
const COUNT_TOKENS = apiEndpoint(countTokensApi, countTokens);
const MODEL_LIST: Endpoint = { serve: modelList, method: 'GET', api: modelsFace };
const MODEL: Endpoint = { serve: model, method: 'GET', api: modelsFace };
const OPENAPI: Endpoint = { serve: openApi, method: 'GET', api: modelsFace };
const PROMPT: Endpoint = { serve: prompt, method: 'POST', api: chatApi };
const EXPOSED_PROMPT: Endpoint = { serve: exposedPrompt, method: 'POST', api: chatApi };

/** The caller's consumer, or the 401/403 its credential earned (thrown inside the endpoint, so it fails the call). */
function admit(call: Call, result: AuthResult): string {
  if (!result.ok) {
    throw result.status === 401
      ? new GatewayError(401, 'authentication_error', result.code, result.message, { 'www-authenticate': 'Bearer' })
      : new GatewayError(403, 'permission_error', result.code, result.message);
  }
  return (call.consumer = result.consumer.name);
}

async function readJson(call: Call): Promise<Body> {
  return parseJson(await readBody(call.req, call.snap.ir.gateway.limits.maxBodyBytes));
}

function parseJson(raw: Buffer): Body {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw badRequest('invalid_json', 'The request body is not valid JSON.');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('invalid_json', 'The request body must be a JSON object.');
  return body as Body;
}

/** The route `body.model` names; the id asked for is what answers will name. */
function routeFor(call: Call, body: Body, type: 'chat' | 'embeddings') {
  if (typeof body.model !== 'string') throw badRequest('missing_model', '`model` must name a route of this gateway (see GET /v1/models).');
  const route = call.snap.models.resolve(body.model);
  if (!route)
    throw notFound('model_not_found', `The model \`${body.model.slice(0, 200)}\` does not exist on this gateway (see GET /v1/models).`);
  call.route = route.name;
  call.requestedModel = body.model;
  if (route.type !== type) {
    throw badRequest(
      'wrong_endpoint',
      `Route "${route.name}" serves ${route.type === 'chat' ? '/v1/chat/completions, /v1/messages and /v1/responses' : '/v1/embeddings'}.`,
    );
  }
  return route;
}

function authorizeRoute(call: Call, route: string) {
  const policy = call.snap.access.authorizeRoute(call.consumer!, route);
  if (!policy) throw forbidden('model_not_permitted', `Consumer "${call.consumer}" may not use the model \`${route}\`.`);
  call.policy = policy.name;
  return policy;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function probe(res: ServerResponse, status: number, state: string): void {
  sendJson(res, status, `{"status":"${state}"}`, {});
}

async function serveMetrics(metrics: GatewayMetrics, res: ServerResponse): Promise<void> {
  const text = await metrics.text();
  res.writeHead(200, { 'content-type': metrics.contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
