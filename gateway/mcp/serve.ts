// `/mcp` and `/mcp/{server}` over Streamable HTTP (MCP 2025-06-18): the caller authenticated as for models, the
// view of the path, the gateway session of the request, then POST (one JSON-RPC message), GET (event streams) or
// DELETE (end the session). Every failure is a JSON-RPC error body, never a stack trace.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthResult } from '../auth/index.ts';
import { GatewayError } from '../errors.ts';
import { readBody } from '../http/io.ts';
import type { Logger } from '../log.ts';
import type { GatewayMetrics } from '../metrics.ts';
import type { Snapshot } from '../snapshot.ts';
import { McpContext } from './context.ts';
import {
  ACCESS_DENIED,
  INTERNAL_ERROR,
  INVALID_REQUEST,
  isRequest,
  parseMessage,
  type RpcId,
  RpcError,
  SESSION_NOT_FOUND,
} from './jsonrpc.ts';
import { initialize } from './lists.ts';
import { handleMessage } from './messages.ts';
import { endSessions, openStreams } from './streams.ts';
import type { Upstreams, View } from './view.ts';

export interface McpServeState {
  readonly snapshot: Snapshot;
  readonly metrics: GatewayMetrics;
  readonly draining: boolean;
  readonly log: Logger;
  responseDone(): void;
}

export const isMcpPath = (path: string): boolean => path === '/mcp' || path.startsWith('/mcp/');

export function serveMcp(state: McpServeState, req: IncomingMessage, res: ServerResponse, path: string): void {
  const c = new McpContext(state.snapshot, req, res, state.metrics, state.log, () => state.responseDone());
  if (state.draining) c.headers.connection = 'close';
  let id: RpcId | null = null;
  const served = (async () => {
    if (req.method !== 'POST' && req.method !== 'GET' && req.method !== 'DELETE') {
      c.headers.allow = 'GET, POST, DELETE';
      throw new RpcError(INVALID_REQUEST, `Method not allowed: ${path} takes POST, GET and DELETE.`, 405);
    }
    const auth = c.snap.authenticate(req.headers);
    const view = viewFor(c, path, auth instanceof Promise ? await auth : auth);
    if (req.method === 'POST') {
      const body = await readBody(req, c.snap.ir.gateway.limits.maxBodyBytes);
      const message = parseMessage(body);
      if ('id' in message) id = message.id;
      if (isRequest(message) && message.method === 'initialize') return initialize(c, view, message);
      return handleMessage(c, view, sessionOf(c, view), message, body.length);
    }
    const upstreams = sessionOf(c, view);
    return req.method === 'GET' ? openStreams(c, upstreams) : endSessions(c, upstreams);
  })();
  served.catch((err) => c.fail(id, asRpcError(c, err)));
}

function viewFor(c: McpContext, path: string, auth: AuthResult): View {
  if (!auth.ok) {
    const headers: Record<string, string> = auth.status === 401 ? { 'www-authenticate': 'Bearer' } : {};
    throw new RpcError(ACCESS_DENIED, auth.message, auth.status, { code: auth.code }, headers);
  }
  c.consumer = auth.consumer.name;
  const all = c.snap.mcp?.accessFor(c.consumer) ?? new Map();
  if (path === '/mcp') {
    if (all.size === 0) throw new RpcError(ACCESS_DENIED, `Consumer "${c.consumer}" may use no MCP server.`, 403);
    return { scope: '', access: all, prefixed: true };
  }
  const name = decodeSegment(path.slice('/mcp/'.length));
  const one = all.get(name);
  // Like a model the caller may not use, a server it may not use is not found.
  if (!one) throw new RpcError(ACCESS_DENIED, `No MCP server "${name.slice(0, 100)}" that consumer "${c.consumer}" may use.`, 404);
  return { scope: name, access: new Map([[name, one]]), prefixed: false };
}

/** The upstream sessions behind the request's Mcp-Session-Id, as far as the consumer may still use them. */
function sessionOf(c: McpContext, view: View): Upstreams {
  const token = c.req.headers['mcp-session-id'];
  if (typeof token !== 'string')
    throw new RpcError(INVALID_REQUEST, 'Bad Request: the Mcp-Session-Id header is required; initialize first.', 400);
  const session = c.snap.mcp?.sessions.open(token);
  if (!session || session.consumer !== c.consumer || session.scope !== view.scope) throw sessionNotFound();
  const upstreams = new Map();
  for (const [name, upstream] of Object.entries(session.upstreams)) {
    const access = view.access.get(name);
    if (access) upstreams.set(name, { access, upstream });
  }
  if (upstreams.size === 0) throw sessionNotFound();
  return upstreams;
}

const sessionNotFound = () => new RpcError(SESSION_NOT_FOUND, 'Session not found: initialize a new session.', 404);

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function asRpcError(c: McpContext, err: unknown): RpcError {
  if (err instanceof RpcError) return err;
  if (err instanceof GatewayError) return new RpcError(INVALID_REQUEST, err.message, err.status, undefined, err.headers);
  c.log.log('error', 'MCP request failed', { requestId: c.id, error: (err as Error)?.stack ?? String(err) });
  return new RpcError(INTERNAL_ERROR, `The gateway failed on this request (${c.id}); its log has the details.`, 500);
}
