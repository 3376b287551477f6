// OpenTelemetry traces of the gateway (`gateway.telemetry.otlp`): what the rest of the runtime sees of them. The
// SDK itself (otel.ts) is loaded only when a config asks for an export, so a gateway without one creates no SDK
// object and pays one property check per request; it still passes the caller's trace context upstream.
import type { IncomingHttpHeaders } from 'node:http';
import type { IROtlpTraces } from '../../compiler/ir/types.ts';
import type { SecretResolver } from '../secrets.ts';
import type { LoadingTracing, SpanCounter, Tracing } from './types.ts';

export type { LoadingTracing, RequestEnd, RequestTrace, SpanCounter, SpanOutcome, Tracing } from './types.ts';

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
