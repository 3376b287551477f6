// Requests to one MCP server over Streamable HTTP: the gateway's own headers (of the caller's, only its request id
// and W3C trace context), the upstream session and protocol version, and what came back: JSON, an event stream,
// or a failure the client may see.
import type { UpstreamCall } from '../providers/adapter.ts';
import type { UpstreamFailure } from '../providers/upstream-errors.ts';
import { type CancelScope, UpstreamExchange } from '../upstream.ts';
import { readEvent } from './events.ts';
import { SseSplitter } from '../http/sse.ts';
import { type RpcId, type RpcResponse, RpcError, SESSION_NOT_FOUND, UPSTREAM_FAILED } from './jsonrpc.ts';
import type { McpServerRuntime } from './servers.ts';
import type { UpstreamSession } from './session.ts';

export interface McpRequest {
  method?: 'GET' | 'DELETE';
  /** A JSON-RPC message, for POST. */
  body?: string;
  session?: UpstreamSession;
  lastEventId?: string;
}

/** `context`: the request id and trace context every call of the client's request carries. */
export function sendToServer(
  server: McpServerRuntime,
  r: McpRequest,
  scope: CancelScope,
  maxBytes: number,
  context: readonly string[],
): UpstreamExchange {
  const headers = [
    ...server.headers,
    ...context,
    'accept',
    r.method === 'GET' ? 'text/event-stream' : 'application/json, text/event-stream',
  ];
  if (r.body !== undefined) headers.push('content-type', 'application/json', 'content-length', String(Buffer.byteLength(r.body)));
  if (r.session?.id) headers.push('mcp-session-id', r.session.id);
  if (r.session) headers.push('mcp-protocol-version', r.session.protocol);
  if (r.lastEventId !== undefined) headers.push('last-event-id', r.lastEventId);
  const call: UpstreamCall = { endpoint: server.endpoint, headers, body: r.body ?? '', ...(r.method ? { method: r.method } : {}) };
  return new UpstreamExchange(call, server.pool, server.ir.timeoutMs, scope, maxBytes);
}

export type Reply = { kind: 'json'; body: Buffer } | { kind: 'events' } | { kind: 'accepted' };

/** What the server answered; a failure as the RpcError the client gets (the server's own text is never passed on). */
export async function replyOf(ex: UpstreamExchange, server: string): Promise<Reply> {
  let status: number;
  try {
    status = await ex.status;
  } catch (err) {
    throw failureError(ex.failure(err), server);
  }
  const contentType = ex.responseHeader('content-type') ?? '';
  if (status === 200 && contentType.startsWith('text/event-stream')) return { kind: 'events' };
  // The body is read to its end so that the connection can serve the next request.
  const body = await ex.readBody().catch((err) => {
    throw failureError(ex.failure(err), server);
  });
  if (status === 202) return { kind: 'accepted' };
  if (status === 200) return { kind: 'json', body };
  throw statusError(status, server);
}

export function statusError(status: number, server: string): RpcError {
  if (status === 404)
    return new RpcError(
      SESSION_NOT_FOUND,
      `Session not found: MCP server "${server}" no longer knows this session. Initialize again.`,
      404,
    );
  if (status === 401 || status === 403) {
    return new RpcError(
      UPSTREAM_FAILED,
      `MCP server "${server}" rejected the gateway's credential (HTTP ${status}); the gateway's operator must fix it.`,
    );
  }
  return new RpcError(UPSTREAM_FAILED, `MCP server "${server}" answered HTTP ${status}.`, 200, { status });
}

export function failureError(f: UpstreamFailure, server: string): RpcError {
  switch (f.kind) {
    case 'status':
      return statusError(f.status, server);
    case 'timeout':
      return new RpcError(UPSTREAM_FAILED, `MCP server "${server}" did not answer in time.`);
    case 'oversize':
      return new RpcError(UPSTREAM_FAILED, `MCP server "${server}" sent more than the gateway accepts (gateway.limits.maxResponseBytes).`);
    case 'cancelled':
      return new RpcError(UPSTREAM_FAILED, 'The client closed the connection.', 499);
    case 'reset':
      return new RpcError(UPSTREAM_FAILED, `MCP server "${server}" could not be reached, or closed the connection.`);
  }
}

/** The server's response to request `id`, from a JSON body or an event stream (other messages are dropped). */
export async function collectResponse(ex: UpstreamExchange, server: string, id: RpcId): Promise<RpcResponse> {
  const reply = await replyOf(ex, server);
  if (reply.kind === 'accepted') throw new RpcError(UPSTREAM_FAILED, `MCP server "${server}" accepted a request without answering it.`);
  if (reply.kind === 'json') {
    const found = responseIn(parseJson(reply.body.toString('utf8')), id);
    if (found) return found;
    throw new RpcError(UPSTREAM_FAILED, `MCP server "${server}" sent an answer the gateway could not read.`);
  }
  // Resolved as soon as the answer is in; the rest of the stream is read and dropped, so the connection is kept.
  return new Promise((resolve, reject) => {
    const splitter = new SseSplitter();
    let found: RpcResponse | undefined;
    const scan = (events: Buffer[]) => {
      for (const raw of events) {
        const data = found ? undefined : readEvent(raw)?.data;
        found ??= data ? responseIn(parseJson(data), id) : undefined;
      }
      if (found) resolve(found);
    };
    ex.relay({
      data: (chunk) => (scan(splitter.push(chunk)), true),
      end: () => (
        scan(splitter.end()), reject(new RpcError(UPSTREAM_FAILED, `MCP server "${server}" ended its stream without answering.`))
      ),
      error: (f) => reject(failureError(f, server)),
    });
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function responseIn(value: unknown, id: RpcId): RpcResponse | undefined {
  for (const m of Array.isArray(value) ? value : [value]) {
    if (m && typeof m === 'object' && m.id === id && !('method' in m) && ('result' in m || 'error' in m)) return m as RpcResponse;
  }
  return undefined;
}
