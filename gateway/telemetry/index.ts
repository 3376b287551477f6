// OpenTelemetry traces of the gateway (`gateway.telemetry.otlp`): what the rest of the runtime sees of them. The
// SDK itself (otel.ts) is loaded only when a config asks for an export, so a gateway without one creates no SDK
// object and pays one property check per request; it still passes the caller's trace context upstream.
import type { IncomingHttpHeaders } from 'node:http';
import type { IROtlpTraces } from '../../compiler/ir/types.ts';
import type { UsageRecord } from '../../schema/types.ts';
import type { GenAiOperation } from '../apis/face.ts';
import type { StreamTranslator } from '../providers/adapter.ts';
import type { Candidate } from '../routing.ts';
import type { SecretResolver } from '../secrets.ts';

/** What the request span records when the request ends. */
export interface RequestEnd {
  record: UsageRecord;
  /** The model id the client asked for (a route name or an alias). */
  requestedModel: string | null;
  /** The provider model of the last attempt. */
  last: Candidate | undefined;
}

/** The spans of one request: its own, and one per upstream attempt. */
export interface RequestTrace {
  /** Opens the span of an attempt on `c` and adds its context (`traceparent`) to the attempt's raw header list. */
  attempt(c: Candidate, headers: string[]): void;
  /** Ends the attempt under way with its outcome (`ok`, an HTTP status, `timeout`, `reset`, ...). */
  attempted(c: Candidate, outcome: string): void;
  /** A whole answer the client gets, read for its finish reasons. */
  answered(body: string | Buffer): void;
  /** The same for an answer streamed: the translator's events are read as they pass. */
  tap(translator: StreamTranslator): StreamTranslator;
  end(end: RequestEnd): void;
}

export interface Tracing {
  /** The span of a request to a GenAI endpoint, the child of the caller's `traceparent` when it sent one. */
  begin(headers: IncomingHttpHeaders, startedAt: number, operation: GenAiOperation): RequestTrace | undefined;
  /** Exports what is queued (within a bound), then stops. */
  close(): Promise<void>;
}

/** Tracing whose SDK is being loaded: `ready` settles once it makes spans. */
export type LoadingTracing = Tracing & { ready: Promise<void> };

/** Spans the SDK finished with: sent, dropped (its queue was full), or lost in a failed export. */
export type SpanOutcome = 'exported' | 'dropped' | 'failed';
export type SpanCounter = (outcome: SpanOutcome, count: number) => void;

/**
 * The tracing of one OTLP setting. Header secrets are resolved now (a missing one refuses the config); the SDK is
 * loaded in the background: `ready` settles once spans are made (requests that come before are not traced).
 */
export function createTracing(otlp: IROtlpTraces, secrets: SecretResolver, count: SpanCounter): LoadingTracing {
  const headers = Object.fromEntries(Object.entries(otlp.headers).map(([name, ref]) => [name, secrets(ref)]));
  let sdk: Tracing | undefined;
  let closed = false;
  const ready = import('./otel.ts').then(({ otelTracing }) => {
    if (!closed) sdk = otelTracing(otlp, headers, count);
  });
  return {
    ready,
    begin: (req, startedAt, operation) => sdk?.begin(req, startedAt, operation),
    async close() {
      closed = true;
      await ready;
      await sdk?.close();
    },
  };
}

const TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;
const MAX_TRACESTATE = 512;

/** Without tracing: the caller's W3C trace context, when well formed, passed on as it came. */
export function forwardTraceContext(from: IncomingHttpHeaders, to: string[]): void {
  const parent = from.traceparent;
  if (typeof parent !== 'string' || !TRACEPARENT.test(parent)) return;
  to.push('traceparent', parent);
  const state = from.tracestate;
  if (typeof state === 'string' && state.length <= MAX_TRACESTATE) to.push('tracestate', state);
}
