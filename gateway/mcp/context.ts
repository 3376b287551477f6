// One HTTP request to `/mcp`: who asked, the upstream exchanges it opened (all cancelled when the client leaves),
// and the ways it is answered: JSON-RPC bodies with the gateway's headers, 202, or an error.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { requestId, sendJson } from '../http/io.ts';
import type { Logger } from '../log.ts';
import type { GatewayMetrics } from '../metrics.ts';
import type { Snapshot } from '../snapshot.ts';
import { CancelScope, type UpstreamExchange } from '../upstream.ts';
import { errorMessage, type RpcError, type RpcId, type RpcResponse } from './jsonrpc.ts';
import type { McpServerRuntime } from './servers.ts';
import { type McpRequest, sendToServer } from './upstream.ts';
import { forwardTraceContext } from '../telemetry/index.ts';

export class McpContext {
  readonly started = performance.now();
  readonly id: string;
  readonly headers: OutgoingHttpHeaders;
  consumer = '';
  private readonly scopes: CancelScope[] = [];

  /** What every upstream call of this request carries: its id, and the caller's trace context (MCP makes no span). */
  private readonly propagated: string[];

  constructor(
    readonly snap: Snapshot,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly metrics: GatewayMetrics,
    readonly log: Logger,
    onClose: () => void,
  ) {
    this.id = requestId(req);
    this.headers = { 'x-request-id': this.id };
    this.propagated = ['x-request-id', this.id];
    forwardTraceContext(req.headers, this.propagated);
    snap.retain();
    res.on('close', () => {
      if (!res.writableFinished) for (const scope of this.scopes) scope.cancel();
      snap.release();
      onClose();
    });
  }

  get clientGone(): boolean {
    return this.res.destroyed && !this.res.writableFinished;
  }

  /** A request to `server`, cancelled with the client's request. */
  send(server: McpServerRuntime, request: McpRequest): UpstreamExchange {
    const scope = new CancelScope();
    this.scopes.push(scope);
    const ex = sendToServer(server, request, scope, this.snap.ir.gateway.limits.maxResponseBytes, this.propagated);
    if (this.clientGone) scope.cancel();
    return ex;
  }

  json(message: RpcResponse | Buffer, status = 200): void {
    sendJson(this.res, status, Buffer.isBuffer(message) ? message : JSON.stringify(message), this.headers);
  }

  /** 202 Accepted, no body: what a notification or a response from the client gets. */
  accepted(): void {
    this.res.writeHead(202, this.headers);
    this.res.end();
  }

  fail(id: RpcId | null, err: RpcError): void {
    if (this.res.headersSent) return void this.res.end();
    Object.assign(this.headers, err.headers);
    this.json(errorMessage(id, err), err.status === 499 ? 200 : err.status);
  }
}
