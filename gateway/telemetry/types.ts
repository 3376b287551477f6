// What tracing is to the rest of the runtime and to the SDK module (otel.ts): types only, so that the two import
// them from here and not from each other.
import type { IncomingHttpHeaders } from 'node:http';
import type { UsageRecord } from '../../schema/types.ts';
import type { GenAiOperation } from '../apis/face.ts';
import type { StreamTranslator } from '../providers/adapter.ts';
import type { Candidate } from '../routing.ts';

/** What the request span records when the request ends. */
export interface RequestEnd {
  record: UsageRecord;
  /** The model id the client asked for (a route name or an alias). */
  requestedModel: string | null;
  /** The provider model of the last attempt. */
  last: Candidate | undefined;
  /** The status of the error that ended a stream (its record says 200, what the client got first). */
  errorStatus?: number;
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
