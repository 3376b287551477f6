// The HTTP surface: probes, metrics, and the OpenAI-compatible endpoints, each authenticating the caller and
// authorising the route or prompt before the proxy takes over.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthResult } from './auth/index.ts';
import { Call } from './call.ts';
import { badRequest, forbidden, GatewayError, notFound } from './errors.ts';
import { readBody, sendJson } from './http/io.ts';
import type { Logger } from './log.ts';
import type { GatewayMetrics } from './metrics.ts';
import { isMcpPath, serveMcp } from './mcp/serve.ts';
import { proxyChat, proxyEmbeddings } from './proxy.ts';
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
type Endpoint = (call: Call, auth: AuthResult, arg: string) => Promise<void>;

const PROMPTS = '/v1/prompts/';
const MODELS = '/v1/models/';

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
    let method = 'POST';
    let arg = '';
    if (path === '/v1/chat/completions') endpoint = chat;
    else if (path === '/v1/embeddings') endpoint = embeddings;
    else if (path === '/v1/models') [endpoint, method] = [models, 'GET'];
    else if (path.startsWith(MODELS) && path.length > MODELS.length) [endpoint, method, arg] = [model, 'GET', path.slice(MODELS.length)];
    else if (path.startsWith(PROMPTS) && path.length > PROMPTS.length) [endpoint, arg] = [prompt, path.slice(PROMPTS.length)];

    const call = new Call(snap, req, res, state.metrics, state.responseDone);
    if (state.draining) call.headers.connection = 'close';
    if (!endpoint) return call.fail(notFound('unknown_endpoint', `No endpoint ${path}. Endpoints: /v1/chat/completions, /v1/embeddings, /v1/models, /v1/models/{id}, /v1/prompts/{name}.`));
    if (req.method !== method) {
      call.headers.allow = method;
      return call.fail(new GatewayError(405, 'invalid_request_error', 'method_not_allowed', `${path} takes ${method}.`));
    }
    // API keys are checked synchronously: only a JWT being verified makes the request wait for its result.
    const auth = snap.authenticate(req.headers);
    const run = endpoint;
    const served = auth instanceof Promise ? auth.then((result) => run(call, result, arg)) : run(call, auth, arg);
    served.catch((err) => {
      if (!(err instanceof GatewayError)) {
        state.log.log('error', 'request failed', { requestId: call.id, error: (err as Error)?.stack ?? String(err) });
        err = new GatewayError(500, 'api_error', 'internal_error', `The gateway failed on this request (${call.id}); its log has the details.`);
      }
      call.fail(err);
    });
  };
}

async function chat(call: Call, auth: AuthResult): Promise<void> {
  admit(call, auth);
  const body = await readJson(call);
  const route = routeFor(call, body, 'chat');
  const policy = authorizeRoute(call, route.name);
  if (!Array.isArray(body.messages) || body.messages.length === 0 || !body.messages.every((m: unknown) => typeof (m as Body)?.role === 'string')) {
    throw badRequest('invalid_messages', '`messages` must be a non-empty array of messages, each with a `role`.');
  }
  await proxyChat(call, route, policy, body);
}

async function embeddings(call: Call, auth: AuthResult): Promise<void> {
  admit(call, auth);
  const body = await readJson(call);
  const route = routeFor(call, body, 'embeddings');
  const policy = authorizeRoute(call, route.name);
  if (body.input === undefined) throw badRequest('invalid_input', '`input` is required.');
  await proxyEmbeddings(call, route, policy, body);
}

const modelObject = (id: string) => ({ id, object: 'model', created: 0, owned_by: 'modelgate' });

async function models(call: Call, auth: AuthResult): Promise<void> {
  const consumer = admit(call, auth);
  call.respond(200, JSON.stringify({ object: 'list', data: call.snap.access.visibleRoutes(consumer).map(modelObject) }));
}

/** `GET /v1/models/{id}`: like OpenAI, a route the caller may not use is reported as not found. */
async function model(call: Call, auth: AuthResult, encodedId: string): Promise<void> {
  const consumer = admit(call, auth);
  const id = decodeSegment(encodedId);
  if (!call.snap.access.visibleRoutes(consumer).includes(id)) throw notFound('model_not_found', `The model \`${id.slice(0, 200)}\` does not exist or you do not have access to it.`);
  call.respond(200, JSON.stringify(modelObject(id)));
}

/** `POST /v1/prompts/{name}` with `{variables, stream?, stream_options?}`: rendered, then sent to the prompt's route. */
async function prompt(call: Call, auth: AuthResult, encodedName: string): Promise<void> {
  const consumer = admit(call, auth);
  const body = await readJson(call);
  const name = decodeSegment(encodedName);
  const compiled = call.snap.prompts.get(name);
  if (!compiled) throw notFound('prompt_not_found', `No prompt "${name}".`);
  const policy = call.snap.access.authorizePrompt(consumer, name);
  if (!policy) throw forbidden('prompt_not_permitted', `Consumer "${consumer}" may not call prompt "${name}".`);
  call.prompt = name;
  const route = call.snap.routes.get(compiled.ir.route)!;
  call.route = route.name;
  const rendered = compiled.render(body.variables);
  call.promptVersion = rendered.version;
  call.headers['x-modelgate-prompt-version'] = rendered.version;
  const chatBody: Body = { model: route.name, messages: rendered.messages };
  if (rendered.temperature !== undefined) chatBody.temperature = rendered.temperature;
  if (rendered.maxTokens !== undefined) chatBody.max_tokens = rendered.maxTokens;
  if (body.stream === true) chatBody.stream = true;
  if (body.stream_options !== undefined) chatBody.stream_options = body.stream_options;
  await proxyChat(call, route, policy, chatBody);
}

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
  const raw = await readBody(call.req, call.snap.ir.gateway.limits.maxBodyBytes);
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw badRequest('invalid_json', 'The request body is not valid JSON.');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('invalid_json', 'The request body must be a JSON object.');
  return body as Body;
}

function routeFor(call: Call, body: Body, type: 'chat' | 'embeddings') {
  if (typeof body.model !== 'string') throw badRequest('missing_model', '`model` must name a route of this gateway (see GET /v1/models).');
  const route = call.snap.routes.get(body.model);
  if (!route) throw notFound('model_not_found', `The model \`${body.model.slice(0, 200)}\` does not exist on this gateway (see GET /v1/models).`);
  call.route = route.name;
  if (route.type !== type) {
    throw badRequest('wrong_endpoint', `Route "${route.name}" serves ${route.type === 'chat' ? '/v1/chat/completions' : '/v1/embeddings'}.`);
  }
  return route;
}

function authorizeRoute(call: Call, route: string) {
  const policy = call.snap.access.authorizeRoute(call.consumer!, route);
  if (!policy) throw forbidden('model_not_permitted', `Consumer "${call.consumer}" may not use the model \`${route}\`.`);
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
