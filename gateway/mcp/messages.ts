// The JSON-RPC messages of a session, method by method: what goes to which server, what is refused without ever
// being forwarded (a tool, prompt or resource the consumer was not granted; a method the gateway does not know),
// and what the gateway answers itself.
import type { IRAccessPolicy } from '../../compiler/ir/types.ts';
import type { Guards } from '../guardrails/guards.ts';
import type { McpContext } from './context.ts';
import { forward } from './forward.ts';
import { serverRequestId } from './ids.ts';
import {
  INTERNAL_ERROR,
  INVALID_PARAMS,
  isRequest,
  METHOD_NOT_FOUND,
  type Params,
  RATE_LIMITED,
  type RpcMessage,
  type RpcNotification,
  type RpcRequest,
  type RpcResponse,
  RpcError,
  resultMessage,
} from './jsonrpc.ts';
import { isList, list } from './lists.ts';
import { guardrailRefusal } from './result-guard.ts';
import { ToolCall } from './tool-call.ts';
import { collectResponse, replyOf } from './upstream.ts';
import { type Bound, resolveName, type Upstreams, type View } from './view.ts';

/** Client notifications passed on to every server of the session; others are dropped. */
const RELAYED_NOTIFICATIONS = new Set([
  'notifications/initialized',
  'notifications/cancelled',
  'notifications/progress',
  'notifications/roots/list_changed',
]);

export async function handleMessage(c: McpContext, view: View, upstreams: Upstreams, message: RpcMessage, bytes: number): Promise<void> {
  if (isRequest(message)) return request(c, view, upstreams, message, bytes);
  if ('method' in message) return notify(c, upstreams, message);
  return answerServer(c, upstreams, message);
}

async function request(c: McpContext, view: View, upstreams: Upstreams, req: RpcRequest, bytes: number): Promise<void> {
  if (isList(req.method)) return list(c, view, upstreams, req);
  switch (req.method) {
    case 'ping':
      return c.json(resultMessage(req.id, {}));
    case 'tools/call':
      return callTool(c, view, upstreams, req, bytes);
    case 'prompts/get':
      return getPrompt(c, view, upstreams, req);
    case 'resources/read':
    case 'resources/subscribe':
    case 'resources/unsubscribe':
      return onResource(c, upstreams, req, stringParam(req, 'uri'));
    case 'completion/complete':
      return complete(c, view, upstreams, req);
    case 'logging/setLevel':
      await Promise.allSettled(
        [...upstreams.values()].map((b) =>
          collectResponse(c.send(b.access.server, { body: JSON.stringify(req), session: b.upstream }), b.access.server.ir.name, req.id),
        ),
      );
      return c.json(resultMessage(req.id, {}));
    default:
      throw new RpcError(METHOD_NOT_FOUND, `Method not found: the gateway does not relay "${req.method.slice(0, 100)}".`);
  }
}

function stringParam(req: RpcRequest, key: string, params: Params | undefined = req.params): string {
  const value = params?.[key];
  if (typeof value !== 'string') throw new RpcError(INVALID_PARAMS, `Invalid params: "${key}" must be a string.`);
  return value;
}

async function callTool(c: McpContext, view: View, upstreams: Upstreams, req: RpcRequest, bytes: number): Promise<void> {
  const shown = stringParam(req, 'name');
  const target = resolveName(view, upstreams, shown);
  const server = target?.server ?? '';
  const pinned = target?.bound?.access.server.catalogue?.has(target.name) ?? false;
  const call = new ToolCall(c.snap, c.metrics, c.id, c.consumer, server, target?.name ?? shown, bytes, c.started, pinned);
  c.res.on('close', () => call.finish(499, 'client_closed'));
  const policy = target?.bound?.access.toolPolicy(target.name);
  if (!target?.bound || !policy) {
    call.finish(200, 'denied');
    throw new RpcError(INVALID_PARAMS, `Unknown tool: "${shown.slice(0, 200)}" is not a tool consumer "${c.consumer}" may call here.`);
  }
  await admitCall(c, policy, call);
  let args = req.params?.arguments;
  const redact = policy.mcp?.redactArguments ? c.snap.redactor(policy) : null;
  if (redact && args !== undefined) args = redactStrings(args, redact);
  const guards = c.snap.guards(policy);
  if (guards && args !== undefined) args = await guardArguments(guards, call, args);
  if (guards?.checksAnswers) call.resultGuards = guards;
  const params: Params = { ...req.params, name: target.name, ...(args !== undefined ? { arguments: args } : {}) };
  try {
    await forward(c, target.bound.access.server, target.bound.upstream, { ...req, params }, call);
  } catch (err) {
    const status = err instanceof RpcError ? err.status : 500;
    call.finish(status, status === 499 ? 'client_closed' : 'upstream_failed');
    throw err;
  }
}

/** Tool calls per minute of the deciding policy, in the gateway's limit store (memory or Redis). */
async function admitCall(c: McpContext, policy: IRAccessPolicy, call: ToolCall): Promise<void> {
  const limits = c.snap.mcp!.callLimits(policy);
  if (!limits) return;
  let decision;
  try {
    decision = await c.snap.limiter.admit({ consumer: c.consumer, policy: limits });
  } catch {
    call.finish(200, 'rate_limited');
    throw new RpcError(INTERNAL_ERROR, 'The rate-limit store is unavailable; try again shortly.');
  }
  if (decision.unavailable) c.metrics.limitsBypassed(c.consumer);
  if (decision.allowed) return;
  c.metrics.rateLimited(c.consumer, 'mcp_calls');
  call.finish(200, 'rate_limited');
  const retryAfterSeconds = decision.retryAfterSeconds ?? 1;
  throw new RpcError(
    RATE_LIMITED,
    `Rate limit reached: tool calls per minute of access policy "${policy.name}". Retry in ${retryAfterSeconds} s.`,
    200,
    { retryAfterSeconds },
  );
}

/** The arguments after the policy's request-side guardrails (a tool call has no route); refusals as JSON-RPC errors. */
async function guardArguments(guards: Guards, call: ToolCall, args: unknown): Promise<unknown> {
  try {
    await guards.texts(call, (rewrite) => void (args = redactStrings(args, rewrite)));
    return args;
  } catch (err) {
    const refusal = guardrailRefusal(err);
    call.finish(200, 'denied');
    throw refusal;
  }
}

/** Every string in the arguments through the policy's redaction; keys and other values are kept. */
function redactStrings(value: unknown, redact: (text: string) => string): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((v) => redactStrings(v, redact));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactStrings(v, redact)]));
  return value;
}

async function getPrompt(c: McpContext, view: View, upstreams: Upstreams, req: RpcRequest): Promise<void> {
  const shown = stringParam(req, 'name');
  const target = resolveName(view, upstreams, shown);
  if (!target?.bound?.access.prompt(target.name))
    throw new RpcError(INVALID_PARAMS, `Unknown prompt: "${shown.slice(0, 200)}" is not available here.`);
  await forward(c, target.bound.access.server, target.bound.upstream, { ...req, params: { ...req.params, name: target.name } });
}

/**
 * Resource URIs keep their servers' names, even in `/mcp`: a request goes to the server whose grant matches the
 * URI, and when several do (one URI scheme on several servers), to each in turn until one answers without an error.
 */
async function onResource(c: McpContext, upstreams: Upstreams, req: RpcRequest, uri: string): Promise<void> {
  const candidates = [...upstreams.values()].filter((b) => b.access.resource(uri));
  if (candidates.length === 0) throw new RpcError(INVALID_PARAMS, `Unknown resource: "${uri.slice(0, 200)}" is not available here.`);
  if (candidates.length === 1) return forward(c, candidates[0].access.server, candidates[0].upstream, req);
  let last: RpcResponse | undefined;
  for (const b of candidates) {
    last = await collectResponse(
      c.send(b.access.server, { body: JSON.stringify(req), session: b.upstream }),
      b.access.server.ir.name,
      req.id,
    ).catch(() => undefined);
    if (last && !last.error) break;
  }
  if (!last) throw new RpcError(INVALID_PARAMS, `Unknown resource: no MCP server could read "${uri.slice(0, 200)}".`);
  c.json(last);
}

async function complete(c: McpContext, view: View, upstreams: Upstreams, req: RpcRequest): Promise<void> {
  const ref = req.params?.ref;
  if (ref?.type === 'ref/resource') return onResource(c, upstreams, req, stringParam(req, 'uri', ref));
  if (ref?.type !== 'ref/prompt') throw new RpcError(INVALID_PARAMS, 'Invalid params: "ref" must be a ref/prompt or a ref/resource.');
  const shown = stringParam(req, 'name', ref);
  const target = resolveName(view, upstreams, shown);
  if (!target?.bound?.access.prompt(target.name))
    throw new RpcError(INVALID_PARAMS, `Unknown prompt: "${shown.slice(0, 200)}" is not available here.`);
  await forward(c, target.bound.access.server, target.bound.upstream, {
    ...req,
    params: { ...req.params, ref: { ...ref, name: target.name } },
  });
}

async function notify(c: McpContext, upstreams: Upstreams, n: RpcNotification): Promise<void> {
  if (RELAYED_NOTIFICATIONS.has(n.method)) await Promise.allSettled([...upstreams.values()].map((b) => deliver(c, b, n)));
  c.accepted();
}

/** A client's answer to a request a server made: back to that server, under the server's own id. */
async function answerServer(c: McpContext, upstreams: Upstreams, response: RpcResponse): Promise<void> {
  const origin = response.id === null ? undefined : serverRequestId(response.id);
  const bound = origin && upstreams.get(origin.server);
  if (bound)
    await deliver(c, bound, { ...response, id: origin.id }).catch((err) =>
      c.log.log('debug', 'an answer to an MCP server was not delivered', { requestId: c.id, error: String(err?.message) }),
    );
  c.accepted();
}

async function deliver(c: McpContext, b: Bound, message: RpcNotification | RpcResponse): Promise<void> {
  await replyOf(c.send(b.access.server, { body: JSON.stringify(message), session: b.upstream }), b.access.server.ir.name);
}
