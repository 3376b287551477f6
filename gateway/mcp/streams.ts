// GET and DELETE of a session: the servers' own event streams merged into one (resumed from a Last-Event-ID
// cursor when the client sends one), and the end of every upstream session.
import type { McpContext } from './context.ts';
import { clientRequestId, decodeCursor } from './ids.ts';
import { INVALID_REQUEST, RpcError, UPSTREAM_FAILED } from './jsonrpc.ts';
import { ClientStream, pipeEvents } from './relay.ts';
import { withheldResult } from './result-guard.ts';
import { replyOf } from './upstream.ts';
import type { Upstreams } from './view.ts';

/**
 * Without Last-Event-ID, a GET opens every server's stream; with one, the streams its cursor names resume where
 * they were. Servers that offer no stream (405) are left out; when none does, neither does the gateway.
 */
export async function openStreams(c: McpContext, upstreams: Upstreams): Promise<void> {
  const lastEventId = c.req.headers['last-event-id'];
  const cursor = typeof lastEventId === 'string' ? decodeCursor(lastEventId) : undefined;
  if (lastEventId !== undefined && !cursor)
    throw new RpcError(INVALID_REQUEST, 'Invalid Request: Last-Event-ID is not an event id this gateway sent.', 400);
  const servers = [...upstreams].filter(([name]) => !cursor || cursor[name] !== undefined);
  const opened = await Promise.all(
    servers.map(async ([name, b]) => {
      const ex = c.send(b.access.server, { method: 'GET', session: b.upstream, ...(cursor ? { lastEventId: cursor[name] } : {}) });
      try {
        const reply = await replyOf(ex, name);
        ex.done(); // a stream lives as long as the client listens: no timeout once it is open
        return reply.kind === 'events' ? { name, ex } : undefined;
      } catch (err) {
        c.log.log('debug', 'an MCP server stream did not open', { requestId: c.id, server: name, error: String((err as Error).message) });
        return undefined;
      }
    }),
  );
  const streams = opened.filter((o) => o !== undefined);
  if (streams.length === 0) {
    c.headers.allow = 'POST, DELETE';
    throw new RpcError(UPSTREAM_FAILED, 'No MCP server of this session offers an event stream.', 405);
  }
  const out = new ClientStream(c.res, c.headers, cursor);
  await Promise.all(
    streams.map(({ name, ex }) =>
      pipeEvents(ex, name, out, (m) =>
        typeof m.method === 'string' && 'id' in m
          ? { ...m, id: clientRequestId(name, m.id) }
          : withheldResult(c, upstreams.get(name)!.access, m),
      ),
    ),
  );
  out.end();
}

/** Ends every upstream session (a server that cannot, or already forgot it, does not fail the DELETE). */
export async function endSessions(c: McpContext, upstreams: Upstreams): Promise<void> {
  await Promise.allSettled(
    [...upstreams]
      .filter(([, b]) => b.upstream.id !== null)
      .map(([name, b]) => replyOf(c.send(b.access.server, { method: 'DELETE', session: b.upstream }), name)),
  );
  c.res.writeHead(200, c.headers);
  c.res.end();
}
