// A client request for one server, and its answer back: JSON passed through as bytes, an event stream relayed as it
// comes (requests the server makes of the client get ids that name it; progress restarts the server's timeout).
import { writeEvent } from './events.ts';
import type { McpContext } from './context.ts';
import { clientRequestId, encodeCursor } from './ids.ts';
import { errorMessage, type RpcRequest, RpcError, UPSTREAM_FAILED } from './jsonrpc.ts';
import { ClientStream, pipeEvents } from './relay.ts';
import { guardResult } from './result-guard.ts';
import type { McpServerRuntime } from './servers.ts';
import type { UpstreamSession } from './session.ts';
import type { ToolCall } from './tool-call.ts';
import { failureError, replyOf } from './upstream.ts';

export async function forward(
  c: McpContext,
  server: McpServerRuntime,
  session: UpstreamSession,
  req: RpcRequest,
  call?: ToolCall,
): Promise<void> {
  const name = server.ir.name;
  const ex = c.send(server, { body: JSON.stringify(req), session });
  const reply = await replyOf(ex, name);
  if (reply.kind === 'accepted') throw new RpcError(UPSTREAM_FAILED, `MCP server "${name}" accepted a request without answering it.`);
  if (reply.kind === 'json') {
    if (!call) return c.json(reply.body);
    const answer = parsedAnswer(reply.body);
    const checked = call.resultGuards && (await guardResult(call.resultGuards, call, answer));
    const body = checked ? Buffer.from(JSON.stringify(checked)) : reply.body;
    call.responseBytes = body.length;
    call.answered(checked || answer);
    return c.json(body);
  }
  if (call) call.stream = true;
  const out = new ClientStream(c.res, c.headers);
  out.holdPriming = true;
  let answered = false;
  /** The answer being checked by the result's guardrails: it and what follows are held until their verdict. */
  let held: Promise<void> | undefined;
  // The server closes its stream after the answer (MCP 2025-06-18): the client's ends with it, at once.
  const last = (answer: Record<string, any>) => {
    out.endAfterNext(() => {
      if (!call) return;
      call.responseBytes = out.bytes;
      call.answered(answer);
    });
    return answer;
  };
  const failure = await pipeEvents(ex, name, out, (m) => {
    if (held) return undefined;
    if (m.id === req.id && !('method' in m)) {
      answered = true;
      if (!call?.resultGuards) return last(m);
      const id = out.cursor[name] !== undefined ? { id: encodeCursor(out.cursor) } : {};
      held = guardResult(call.resultGuards, call, m).then(
        (checked) => void out.write(writeEvent({ ...id, data: JSON.stringify(last(checked ?? m)) }), ex),
      );
      return undefined;
    }
    if (typeof m.method !== 'string') return m;
    if ('id' in m) return { ...m, id: clientRequestId(name, m.id) };
    if (m.method === 'notifications/progress') ex.setTimer(server.ir.timeoutMs);
    return m;
  });
  await held;
  if (!answered) {
    if (call) call.responseBytes = out.bytes;
    // A stream whose events carry ids can be resumed with Last-Event-ID: it ends as it did, and the answer comes
    // on the resumed stream. Any other ending is an error the client must see.
    const resumable = out.cursor[name] !== undefined && (failure === undefined || failure.kind === 'reset');
    if (failure?.kind === 'cancelled') call?.finish(499, 'client_closed');
    else if (resumable) call?.finish(200, 'detached');
    else {
      const err = failure
        ? failureError(failure, name)
        : new RpcError(UPSTREAM_FAILED, `MCP server "${name}" ended its stream without answering.`);
      call?.finish(200, 'upstream_failed');
      out.write(writeEvent({ data: JSON.stringify(errorMessage(req.id, err)) }), ex);
    }
  }
  out.end();
}

/** A JSON answer as the tool call's account reads it; one that is not JSON counts as an error. */
function parsedAnswer(body: Buffer): { error?: unknown; result?: { isError?: unknown } } {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (value && typeof value === 'object') return value;
  } catch {
    // Counted as an error below.
  }
  return { error: 'unreadable' };
}
