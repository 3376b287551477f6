// What the gateway writes into ids that travel through the client, so that it needs no state to route them back:
// SSE event ids that record how far each upstream stream was read, and the ids of requests a server sends the client.
import type { RpcId } from './jsonrpc.ts';

/** Last event id read per server, for a stream that merges several; the client sends it back as Last-Event-ID. */
export type Cursor = Record<string, string>;

export const encodeCursor = (cursor: Cursor): string => Buffer.from(JSON.stringify(cursor)).toString('base64url');

export function decodeCursor(id: string): Cursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(id, 'base64url').toString('utf8'));
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const entries = Object.entries(value);
    return entries.length > 0 && entries.every(([, v]) => typeof v === 'string') ? (value as Cursor) : undefined;
  } catch {
    return undefined;
  }
}

/** A server-to-client request's id as the client sees it: the server's name, then its own id (ids of servers may collide). */
export const clientRequestId = (server: string, id: RpcId): string => `${server}:${JSON.stringify(id)}`;

/** The server and its own id behind an id made by `clientRequestId`. */
export function serverRequestId(id: RpcId): { server: string; id: RpcId } | undefined {
  if (typeof id !== 'string') return undefined;
  const colon = id.indexOf(':');
  if (colon <= 0) return undefined;
  try {
    const own: unknown = JSON.parse(id.slice(colon + 1));
    return typeof own === 'string' || typeof own === 'number' ? { server: id.slice(0, colon), id: own } : undefined;
  } catch {
    return undefined;
  }
}
