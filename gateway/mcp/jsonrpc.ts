// JSON-RPC 2.0 as MCP uses it: checking what a client sends, and the errors the gateway answers with.
// A malformed message is an RpcError (a JSON-RPC error body, with an HTTP status), never an exception that escapes.

export type RpcId = string | number;
export type Params = Record<string, any>;

export interface RpcRequest {
  jsonrpc: '2.0';
  id: RpcId;
  method: string;
  params?: Params;
}

export interface RpcNotification {
  jsonrpc: '2.0';
  method: string;
  params?: Params;
}

export interface RpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

export interface RpcResponse {
  jsonrpc: '2.0';
  id: RpcId | null;
  result?: any;
  error?: RpcErrorObject;
}

export type RpcMessage = RpcRequest | RpcNotification | RpcResponse;

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const METHOD_NOT_FOUND = -32601;
export const INVALID_PARAMS = -32602;
export const INTERNAL_ERROR = -32603;
// The gateway's own, in the range JSON-RPC leaves to implementations (-32000 to -32099).
export const UPSTREAM_FAILED = -32000;
/** As the MCP SDK answers for an unknown or ended session. */
export const SESSION_NOT_FOUND = -32001;
export const RATE_LIMITED = -32002;
/** Authentication failed, or the server asked for is not one the caller may use. */
export const ACCESS_DENIED = -32003;

/** An error answered as a JSON-RPC error body; `status` is the HTTP status (200 for errors about one request). */
export class RpcError extends Error {
  override name = 'RpcError';
  constructor(
    readonly code: number,
    message: string,
    readonly status = 200,
    readonly data?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toObject(): RpcErrorObject {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }
}

export const isRequest = (m: RpcMessage): m is RpcRequest => 'method' in m && 'id' in m;
export const isNotification = (m: RpcMessage): m is RpcNotification => 'method' in m && !('id' in m);

const invalid = (message: string) => new RpcError(INVALID_REQUEST, `Invalid Request: ${message}`, 400);

/** One JSON-RPC message from a request body. Batches (dropped by MCP 2025-06-18) are refused. */
export function parseMessage(body: Buffer): RpcMessage {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new RpcError(PARSE_ERROR, 'Parse error: the body is not JSON.', 400);
  }
  if (Array.isArray(value))
    throw invalid('JSON-RPC batches are not supported (MCP 2025-06-18 removed them); send one message per request.');
  if (value === null || typeof value !== 'object') throw invalid('the body must be a JSON-RPC message (an object).');
  const m = value as Record<string, unknown>;
  if (m.jsonrpc !== '2.0') throw invalid('"jsonrpc" must be "2.0".');
  if ('id' in m && !(typeof m.id === 'string' || (typeof m.id === 'number' && Number.isFinite(m.id)))) {
    throw invalid('"id" must be a string or a number.');
  }
  if ('method' in m) {
    if (typeof m.method !== 'string' || m.method === '') throw invalid('"method" must be a non-empty string.');
    if ('params' in m && (m.params === null || typeof m.params !== 'object' || Array.isArray(m.params)))
      throw invalid('"params" must be an object.');
    return m as unknown as RpcRequest | RpcNotification;
  }
  if (!('id' in m) || 'result' in m === 'error' in m)
    throw invalid('a message needs a "method", or an "id" with either "result" or "error".');
  return m as unknown as RpcResponse;
}

export const resultMessage = (id: RpcId | null, result: unknown): RpcResponse => ({ jsonrpc: '2.0', id, result });
export const errorMessage = (id: RpcId | null, error: RpcError): RpcResponse => ({ jsonrpc: '2.0', id, error: error.toObject() });
