// One MCP tool call's account: its usage line and metrics, written once, when its outcome is known.
import type { GuardrailVerdict, McpCallRecord, UsageRecord } from '../../schema/types.ts';
import type { Guards } from '../guardrails/guards.ts';
import type { GatewayMetrics } from '../metrics.ts';
import type { Snapshot } from '../snapshot.ts';

export type Outcome = McpCallRecord['outcome'];

export class ToolCall {
  private done = false;
  /** What the guardrails see of the call. */
  readonly api = { name: 'mcp' } as const;
  /** Verdicts of the guardrails on the arguments and the result; undefined while none matched or failed. */
  guardrails: GuardrailVerdict[] | undefined;
  /** The deciding policy's guardrails when some check answers: the tool's result passes them. */
  resultGuards: Guards | undefined;
  responseBytes = 0;
  /** Answered as an event stream. */
  stream = false;
  /** Whether the tool's name may label metrics: pinned in Git, or answered by the server (not any string a client sent). */
  vouched: boolean;

  constructor(
    private readonly snap: Snapshot,
    private readonly metrics: GatewayMetrics,
    readonly requestId: string,
    readonly consumer: string,
    readonly server: string,
    readonly tool: string,
    readonly requestBytes: number,
    readonly started: number,
    pinned: boolean,
  ) {
    this.vouched = pinned;
  }

  /** The answer arrived: its outcome from the JSON-RPC response. */
  answered(response: { error?: unknown; result?: { isError?: unknown } }): void {
    if (response.error !== undefined) return this.finish(200, 'error');
    this.vouched = true;
    this.finish(200, response.result?.isError === true ? 'tool_error' : 'ok');
  }

  verdict(v: GuardrailVerdict): void {
    (this.guardrails ??= []).push(v);
  }

  finish(status: number, outcome: Outcome): void {
    if (this.done) return;
    this.done = true;
    const latencyMs = Math.round((performance.now() - this.started) * 1000) / 1000;
    const record: UsageRecord = {
      ts: new Date().toISOString(),
      requestId: this.requestId,
      api: 'mcp',
      environment: this.snap.ir.environment.name,
      consumer: this.consumer,
      route: null,
      provider: null,
      model: null,
      status,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      latencyMs,
      cache: 'bypass',
      stream: this.stream,
      mcp: { server: this.server, tool: this.tool, outcome, requestBytes: this.requestBytes, responseBytes: this.responseBytes },
    };
    if (this.guardrails) record.guardrails = this.guardrails;
    // MCP answers do not wait on `afterWrites`: the line is written at once, before the answer is sent.
    const log = this.snap.usageLog;
    if (log) {
      log.write(JSON.stringify(record));
      log.flush();
    }
    if (this.guardrails) this.metrics.guardrailVerdict(this.guardrails);
    const known = this.snap.mcp?.servers.has(this.server) ?? false;
    this.metrics.mcpToolCall(known ? this.server : '', known && this.vouched ? this.tool : '', this.consumer, outcome, latencyMs);
  }
}
