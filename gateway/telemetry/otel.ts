// The OpenTelemetry SDK behind `gateway.telemetry.otlp`, loaded only when a config sets it (see index.ts): a
// tracer provider of its own (never the process-global one: several gateways may share a process), parent-based
// ratio sampling, and a batch processor whose bounded queue an OTLP/HTTP protobuf exporter drains in the
// background. A request only ever adds a finished span to that queue; when the collector is slow or down the queue
// fills and further spans are dropped, counted, never waited for.
import {
  createNoopMeter,
  defaultTextMapGetter,
  defaultTextMapSetter,
  type Attributes,
  type Meter,
  type MeterProvider,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
import type { IncomingHttpHeaders } from 'node:http';
import type { IROtlpTraces } from '../../compiler/ir/types.ts';
import type { GenAiOperation } from '../apis/face.ts';
import type { StreamTranslator } from '../providers/adapter.ts';
import type { Candidate } from '../routing.ts';
import type { TokenUsage } from '../usage.ts';
import { collectFinishReasons, genAiProvider, serverOf } from './genai.ts';
import type { RequestEnd, RequestTrace, SpanCounter, Tracing } from './types.ts';

/** Spans waiting for export at most (OTEL_BSP_MAX_QUEUE_SIZE): what bounds memory while the collector is down. */
const MAX_QUEUE_SPANS = 2048;
const BATCH_SPANS = 512;
const EXPORT_DELAY_MS = 1000;
const EXPORT_TIMEOUT_MS = 10_000;
/** How long closing waits for the last export (a gateway stopping must not hang on a dead collector). */
const CLOSE_TIMEOUT_MS = 5000;
/** Longest attribute value (prompts): with the queue bound, at most its size (2048 by default) × a few of these are held. */
const MAX_ATTRIBUTE_CHARS = 16 * 1024;

/** The conventions' attribute names (from @opentelemetry/semantic-conventions, whose GenAI part is still incubating). */
const A = {
  operation: 'gen_ai.operation.name',
  provider: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  finishReasons: 'gen_ai.response.finish_reasons',
  inputMessages: 'gen_ai.input.messages',
  stream: 'gen_ai.request.stream',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  errorType: 'error.type',
  httpStatus: 'http.response.status_code',
} as const;

const propagator = new W3CTraceContextPropagator();

export function otelTracing(otlp: IROtlpTraces, headers: Record<string, string>, count: SpanCounter): Tracing {
  const exporter = new OTLPTraceExporter({ url: otlp.endpoint, headers, timeoutMillis: EXPORT_TIMEOUT_MS });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': otlp.serviceName }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(otlp.samplingRatio) }),
    spanLimits: { attributeValueLengthLimit: MAX_ATTRIBUTE_CHARS },
    spanProcessors: [
      new BatchSpanProcessor(exporter, {
        ...batchSettings(process.env),
        exportTimeoutMillis: EXPORT_TIMEOUT_MS,
        selfObsMeterProvider: spanCounts(count),
        // The env-aware class of sdk-trace-base passes every option on to @opentelemetry/sdk-trace's processor,
        // whose options have this one; its own option type predates it.
      } as ConstructorParameters<typeof BatchSpanProcessor>[1]),
    ],
  });
  const tracer = provider.getTracer('modelgate');
  return {
    begin: (req, startedAt, operation) => new OtelRequestTrace(tracer, req, startedAt, operation),
    async close() {
      let timer: NodeJS.Timeout | undefined;
      const bound = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, CLOSE_TIMEOUT_MS).unref();
      });
      await Promise.race([provider.shutdown().catch(() => {}), bound]);
      clearTimeout(timer);
    },
  };
}

/**
 * The batch processor's sizes and interval from the OpenTelemetry SDKs' variables: each a positive whole number,
 * else our default; a batch larger than the queue is the queue, as the SDK environment spec says.
 */
export function batchSettings(env: Record<string, string | undefined>) {
  const maxQueueSize = positiveWhole(env.OTEL_BSP_MAX_QUEUE_SIZE, MAX_QUEUE_SPANS);
  return {
    maxQueueSize,
    maxExportBatchSize: Math.min(positiveWhole(env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE, BATCH_SPANS), maxQueueSize),
    scheduledDelayMillis: positiveWhole(env.OTEL_BSP_SCHEDULE_DELAY, EXPORT_DELAY_MS),
  };
}

function positiveWhole(variable: string | undefined, fallback: number): number {
  const value = Number(variable);
  return variable?.trim() && Number.isInteger(value) && value > 0 ? value : fallback;
}

/**
 * The batch processor's own count of the spans it is done with (the SDK's self-observability metric
 * `otel.sdk.processor.span.processed`, by `error.type`), turned into the gateway's counter.
 */
function spanCounts(count: SpanCounter): MeterProvider {
  const noop = createNoopMeter();
  const meter: Meter = Object.create(noop);
  meter.createCounter = (name, options) => {
    if (name !== 'otel.sdk.processor.span.processed') return noop.createCounter(name, options);
    return {
      add(n: number, attributes?: Attributes) {
        const error = attributes?.['error.type'];
        count(error === undefined ? 'exported' : error === 'queue_full' ? 'dropped' : 'failed', n);
      },
    };
  };
  return { getMeter: () => meter };
}

class OtelRequestTrace implements RequestTrace {
  private readonly span: Span;
  private readonly operation: GenAiOperation;
  private readonly tracer: Tracer;
  private current: { span: Span; c: Candidate } | undefined;
  private readonly reasons = new Set<string>();
  /** Set when the request span ended (a stream's attempt is ended with it, before the attempt loop reports it). */
  private ended = false;

  constructor(tracer: Tracer, headers: IncomingHttpHeaders, startedAt: number, operation: GenAiOperation) {
    this.tracer = tracer;
    this.operation = operation;
    const parent = propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
    // SERVER: the caller's request arriving; the attempts below are the GenAI client calls.
    this.span = tracer.startSpan(
      operation,
      { kind: SpanKind.SERVER, startTime: startedAt, attributes: { [A.operation]: operation } },
      parent,
    );
  }

  attempt(c: Candidate, headers: string[]): void {
    this.endAttempt(undefined);
    const server = serverOf(c.provider.ir);
    const span = this.tracer.startSpan(
      `${this.operation} ${c.model.name}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          [A.operation]: this.operation,
          [A.provider]: genAiProvider(c.provider.ir),
          [A.requestModel]: c.model.name,
          [A.serverAddress]: server.address,
          [A.serverPort]: server.port,
          'modelgate.provider': c.provider.ir.name,
        },
      },
      trace.setSpan(ROOT_CONTEXT, this.span),
    );
    this.current = { span, c };
    const carrier: Record<string, string> = {};
    propagator.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, defaultTextMapSetter);
    for (const [name, value] of Object.entries(carrier)) headers.push(name, value);
  }

  attempted(c: Candidate, outcome: string): void {
    if (this.ended) return;
    // An attempt that failed before its exchange opened (a request it could not sign) is a span all the same.
    if (this.current?.c !== c) this.attempt(c, []);
    this.endAttempt(outcome);
  }

  answered(body: string | Buffer): void {
    if (this.span.isRecording()) collectFinishReasons(body, this.reasons);
  }

  tap(translator: StreamTranslator): StreamTranslator {
    if (!this.span.isRecording()) return translator;
    return new FinishReasonTap(translator, (text) => this.answered(text));
  }

  end({ record, requestedModel, last, errorStatus }: RequestEnd): void {
    this.ended = true;
    // Like an HTTP server span: the gateway failed on 5xx (and on a stream a 5xx cut short); a 4xx is the caller's,
    // a guardrail's refusal of a stream included.
    const failed = (errorStatus ?? record.status) >= 500;
    this.endAttempt(failed ? (record.error ?? String(record.status)) : 'ok');
    const span = this.span;
    if (!span.isRecording()) return span.end();
    if (requestedModel) span.updateName(`${this.operation} ${requestedModel}`);
    // Each attribute is paid for in the export's encoding: those that are mostly a default are left out then.
    span.setAttributes({ [A.httpStatus]: record.status, 'modelgate.request_id': record.requestId, 'modelgate.api': record.api });
    if (record.stream) span.setAttribute(A.stream, true);
    if (record.cache !== 'bypass') span.setAttribute('modelgate.cache', record.cache);
    if (record.costUsd) span.setAttribute('modelgate.cost_usd', record.costUsd);
    if (requestedModel) span.setAttribute(A.requestModel, requestedModel);
    if (record.consumer) span.setAttribute('modelgate.consumer', record.consumer);
    if (record.route) span.setAttribute('modelgate.route', record.route);
    if (record.prompt) span.setAttribute('modelgate.prompt', record.prompt);
    if (record.promptVersion) span.setAttribute('modelgate.prompt_version', record.promptVersion);
    if (last) {
      const server = serverOf(last.provider.ir);
      span.setAttributes({
        [A.provider]: genAiProvider(last.provider.ir),
        [A.serverAddress]: server.address,
        [A.serverPort]: server.port,
        'modelgate.provider': last.provider.ir.name,
      });
      if (record.status === 200) span.setAttribute(A.responseModel, last.model.name);
    }
    if (record.status === 200) span.setAttributes({ [A.inputTokens]: record.inputTokens, [A.outputTokens]: record.outputTokens });
    if (this.reasons.size) span.setAttribute(A.finishReasons, [...this.reasons]);
    // Only what `logging.usage.includePrompts` lets the usage line hold, taken after the policy's redaction.
    if (record.messages !== undefined) span.setAttribute(A.inputMessages, JSON.stringify(record.messages));
    if (record.error !== undefined || record.status >= 400) span.setAttribute(A.errorType, record.error ?? String(record.status));
    if (failed) span.setStatus({ code: SpanStatusCode.ERROR, message: record.error });
    span.end();
  }

  /** Ends the attempt under way: ok, or failed with `outcome` (an HTTP status or a failure kind); none when undefined. */
  private endAttempt(outcome: string | undefined): void {
    const current = this.current;
    if (!current) return;
    this.current = undefined;
    const { span, c } = current;
    if (outcome === 'ok') span.setAttribute(A.responseModel, c.model.name);
    else if (outcome !== undefined) {
      span.setAttribute(A.errorType, outcome);
      if (/^\d{3}$/.test(outcome)) span.setAttribute(A.httpStatus, Number(outcome));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  }
}

/** A stream translator whose output events are also read for finish reasons. */
class FinishReasonTap implements StreamTranslator {
  constructor(
    private readonly inner: StreamTranslator,
    private readonly read: (text: string | Buffer) => void,
  ) {}

  push(chunk: Buffer): string | Buffer {
    return this.seen(this.inner.push(chunk));
  }

  end(): string | Buffer {
    return this.seen(this.inner.end());
  }

  get usage(): TokenUsage {
    return this.inner.usage;
  }

  get fail() {
    return this.inner.fail?.bind(this.inner);
  }

  // Passed on: a remote guardrail's whole-text verdict, else lost on every traced stream.
  get verdict() {
    return this.inner.verdict?.bind(this.inner);
  }

  private seen(events: string | Buffer): string | Buffer {
    if (events.length) this.read(events);
    return events;
  }
}
