// One client request from arrival to its usage record: response headers gathered on the way, the upstream
// attempts, cancellation when the client leaves, and the single place where the usage line and metrics are made.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { IRRoute } from '../compiler/ir/types.ts';
import type { GuardrailVerdict, UsageRecord } from '../schema/types.ts';
import type { ApiFace } from './apis/face.ts';
import { chatFace } from './apis/openai-errors.ts';
import type { GatewayError } from './errors.ts';
import { requestId, sendError, sendJson } from './http/io.ts';
import type { GatewayMetrics } from './metrics.ts';
import type { AttemptLog, Candidate } from './routing.ts';
import type { Snapshot } from './snapshot.ts';
import { forwardTraceContext, type RequestTrace } from './telemetry/index.ts';
import { routeTimeoutMs } from './threshold-gauges.ts';
import { CancelScope } from './upstream.ts';
import { NO_USAGE, type TokenUsage } from './usage.ts';

export class Call {
  readonly started = performance.now();
  readonly id: string;
  readonly scope = new CancelScope();
  /** Headers every response of this call carries (request id, rate-limit state, cache outcome, ...). */
  readonly headers: OutgoingHttpHeaders;
  /** The ingress API: its name for the usage line and metrics, its shape for errors. */
  api: ApiFace = chatFace;
  consumer: string | null = null;
  route: string | null = null;
  /** The access policy that granted the route or prompt: budgets and token limits are per policy and consumer. */
  policy: string | null = null;
  /** The model id the client asked for (a route name, or an alias of one): what answers name as their `model`. */
  requestedModel: string | null = null;
  prompt: string | undefined;
  promptVersion: string | undefined;
  cache: UsageRecord['cache'] = 'bypass';
  stream = false;
  usage: TokenUsage = NO_USAGE;
  costUsd = 0;
  /** When a stream's first event went to the client (performance.now()); 0 until then and for JSON answers. */
  firstEventAt = 0;
  /** When a stream's upstream ended (performance.now()): its generation is over, a whole-text check may follow. */
  streamEndAt = 0;
  readonly attempts: AttemptLog = { attempts: 0, upstreamMs: 0, last: undefined };
  /** Request messages, kept only when the config asks for prompts in the usage log. */
  messages: unknown[] | undefined;
  /** Verdicts of the guardrails that matched or failed, in order; undefined while none did. */
  guardrails: GuardrailVerdict[] | undefined;
  /** What a translation left out of the request without refusing it, one short phrase each. */
  notes: string[] | undefined;
  private finished = false;
  /** The request's spans; null until first asked for (see `trace`). */
  private traced: RequestTrace | undefined | null = null;

  constructor(
    readonly snap: Snapshot,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly metrics: GatewayMetrics,
    onClose: () => void,
  ) {
    this.id = requestId(req);
    this.headers = { 'x-request-id': this.id };
    snap.retain();
    // `close` is emitted once.
    res.on('close', () => {
      if (!res.writableFinished) this.scope.cancel();
      snap.release();
      onClose();
    });
  }

  /** When the upstream work must be over: the route's total timeout, within the gateway's request timeout. */
  deadline(route: IRRoute): number {
    return this.started + routeTimeoutMs(this.snap.ir, route);
  }

  /**
   * The request's spans, made when first needed (by an upstream attempt, or at the end): none when the config
   * exports no traces or the endpoint is no GenAI operation.
   */
  get trace(): RequestTrace | undefined {
    if (this.traced === null) {
      const { operation } = this.api;
      this.traced = operation && this.snap.tracing?.begin(this.req.headers, this.started, operation);
    }
    return this.traced ?? undefined;
  }

  /**
   * What an upstream call of this request carries besides its own headers: the request id, and the W3C trace
   * context, the attempt's span when tracing, else the caller's own.
   */
  propagate(c: Candidate, headers: string[]): void {
    headers.push('x-request-id', this.id);
    const trace = this.trace;
    if (trace) trace.attempt(c, headers);
    else forwardTraceContext(this.req.headers, headers);
  }

  get clientGone(): boolean {
    return this.scope.cancelled;
  }

  /** The notes of the attempt under way (a fallback's replace an earlier attempt's), in the usage line and a header. */
  note(notes: string[] | undefined): void {
    this.notes = notes?.length ? notes : undefined;
    if (this.notes) this.headers['x-modelgate-notes'] = headerText(this.notes.join('; '));
    else delete this.headers['x-modelgate-notes'];
  }

  respond(status: number, body: string | Buffer): void {
    // `trace`, not `traced`: an answer from the cache made no attempt, so no span yet.
    if (status === 200) this.trace?.answered(body);
    this.finish(status);
    this.afterLine(() => sendJson(this.res, status, body, this.headers));
  }

  fail(err: GatewayError): void {
    this.finish(err.status, err.code);
    // After the ends queued before it: a stream's error tail, already on its way, is not cut short here.
    this.afterLine(() => {
      if (!this.res.headersSent && !this.res.destroyed) sendError(this.res, this.api.errors, err, this.headers);
      else if (!this.res.writableEnded) this.res.destroy(); // a stream cut short by a gateway bug
    });
  }

  /** Ends the response with `end` once the usage line is in the log (see usage-log.ts); at once without a log. */
  afterLine(end: () => void): void {
    const log = this.snap.usageLog;
    if (log) log.afterWrites(end);
    else end();
  }

  verdict(v: GuardrailVerdict): void {
    (this.guardrails ??= []).push(v);
  }

  /**
   * Queues the usage line, then updates metrics; only the first call counts. The response ends after it, through
   * `afterLine`.
   * `errorStatus`: the status of the error that ended a stream (for its trace: a refusal is no failure).
   */
  finish(status: number, error?: string, errorStatus?: number): void {
    if (this.finished) return;
    this.finished = true;
    const last = this.attempts.last;
    const record: UsageRecord = {
      ts: nowIso(),
      requestId: this.id,
      api: this.api.name,
      environment: this.snap.ir.environment.name,
      consumer: this.consumer,
      route: this.route,
      provider: last?.provider.ir.name ?? null,
      model: last?.model.name ?? null,
      status,
      inputTokens: this.usage.input,
      outputTokens: this.usage.output,
      costUsd: this.costUsd,
      latencyMs: round(performance.now() - this.started),
      upstreamLatencyMs: round(this.attempts.upstreamMs),
      attempts: this.attempts.attempts,
      cache: this.cache,
      stream: this.stream,
    };
    if (this.usage.cacheRead) record.cacheReadTokens = this.usage.cacheRead;
    if (this.usage.cacheWrite) record.cacheWriteTokens = this.usage.cacheWrite;
    if (this.prompt !== undefined) record.prompt = this.prompt;
    if (this.promptVersion !== undefined) record.promptVersion = this.promptVersion;
    if (error !== undefined) record.error = error;
    if (this.notes !== undefined) record.notes = this.notes;
    if (this.guardrails !== undefined) record.guardrails = this.guardrails;
    if (this.messages !== undefined) record.messages = this.messages;
    this.snap.usageLog?.write(JSON.stringify(record));
    if (this.snap.tracing) this.trace?.end({ record, requestedModel: this.requestedModel, last, errorStatus });
    // Metrics may wait until the response is handed to the socket (callers end it right after this).
    const firstEventMs = this.firstEventAt ? this.firstEventAt - this.started : -1;
    const generationMs = this.firstEventAt && this.streamEndAt ? this.streamEndAt - this.firstEventAt : undefined;
    queueMicrotask(() => this.metrics.request(record, this.policy ?? '', firstEventMs, generationMs));
  }
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** Text a header may carry: printable ASCII (notes may quote the client's tool names), bounded. */
const headerText = (text: string) => text.replace(/[^\x20-\x7e]/g, '?').slice(0, 1024);

let second = -1;
let secondPrefix = '';
/** The current time in ISO 8601 (`2026-01-31T12:34:56.789Z`), the part up to the seconds formatted once a second. */
function nowIso(): string {
  const ms = Date.now();
  const s = Math.floor(ms / 1000);
  if (s !== second) {
    second = s;
    secondPrefix = new Date(s * 1000).toISOString().slice(0, 20);
  }
  const fraction = ms - s * 1000;
  return `${secondPrefix}${fraction < 10 ? '00' : fraction < 100 ? '0' : ''}${fraction}Z`;
}
