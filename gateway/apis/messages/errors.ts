// Errors as Anthropic writes them, `{"type":"error","error":{"type","message"}}`, so that Anthropic SDKs raise
// their own exception classes (RateLimitError, OverloadedError, ...); inside a stream, an `error` event.
import type { GatewayError } from '../../errors.ts';
import { sseEvent } from '../../http/sse.ts';
import { ERROR_STATUS } from '../../providers/anthropic-stream.ts';
import type { ErrorShape } from '../face.ts';

/** Anthropic's error type for each status it uses. */
const TYPES: Readonly<Record<number, string>> = Object.fromEntries(Object.entries(ERROR_STATUS).map(([type, status]) => [status, type]));

/** An overloaded provider is a 529 at Anthropic, which its clients back off from and retry. */
const status = (err: GatewayError) => (err.code === 'upstream_overloaded' ? 529 : err.status);

function type(status: number): string {
  return TYPES[status] ?? (status < 500 ? 'invalid_request_error' : 'api_error');
}

const error = (err: GatewayError) => ({ type: 'error', error: { type: type(status(err)), message: err.message } });

export const anthropicErrors: ErrorShape = {
  status,
  body: (err) => JSON.stringify(error(err)),
  event: (err) => sseEvent('error', error(err)),
};
