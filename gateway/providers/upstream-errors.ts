// Upstream failures as the statuses a gateway's client should see. A provider's 401/403/404 is the gateway's
// misconfiguration (its credential, its model mapping), so the client gets a 502, and the provider's message,
// which may quote part of the credential, is not passed on.
import { CLIENT_CLOSED, GatewayError } from '../errors.ts';

/** How an attempt failed, in the terms of a route's retry policy. `oversize`: a body over `maxResponseBytes`. */
export type FailureKind = 'status' | 'timeout' | 'reset' | 'cancelled' | 'oversize';

export class UpstreamFailure extends Error {
  override name = 'UpstreamFailure';
  /** Set when it cut a stream the client already had bytes of: it counts against the model, and is never retried. */
  answered = false;
  constructor(
    readonly kind: FailureKind,
    readonly status = 0,
    readonly body = '',
    readonly retryAfter?: string,
  ) {
    super(kind === 'status' ? `upstream status ${status}` : `upstream ${kind}`);
  }
}

/**
 * The status an error object sent inside an OpenAI stream (a chat error chunk, a Responses `response.failed` or
 * `error` event) stands for.
 */
export function streamErrorStatus(error: { type?: unknown; code?: unknown }): number {
  if (error.code === 'rate_limit_exceeded' || error.type === 'requests' || error.type === 'tokens') return 429;
  return error.type === 'invalid_request_error' || error.code === 'invalid_prompt' ? 400 : 500;
}

/** What the client gets when the last attempt failed this way. */
export function failureError(f: UpstreamFailure, provider: string): GatewayError {
  switch (f.kind) {
    case 'status':
      return upstreamError(provider, f.status, jsonErrorDetails(f.body), f.retryAfter);
    case 'timeout':
      return upstreamTimeout(provider);
    case 'reset':
      return upstreamUnreachable(provider);
    case 'cancelled':
      return CLIENT_CLOSED;
    case 'oversize':
      return new GatewayError(
        502,
        'api_error',
        'upstream_response_too_large',
        `Provider "${provider}" sent a response larger than the gateway accepts (gateway.limits.maxResponseBytes).`,
      );
  }
}

export function upstreamError(
  provider: string,
  status: number,
  details: { message?: string; code?: string },
  retryAfter?: string,
): GatewayError {
  const tag = `Provider "${provider}" answered HTTP ${status}`;
  switch (status) {
    case 401:
    case 403:
      return new GatewayError(
        502,
        'api_error',
        'upstream_auth_failed',
        `${tag}: it rejected the gateway's credential. The gateway operator must fix it.`,
      );
    case 404:
      return new GatewayError(502, 'api_error', 'upstream_not_found', `${tag}: it does not serve the configured model or path.`);
    case 429:
      return new GatewayError(
        429,
        'rate_limit_error',
        'upstream_rate_limited',
        `${tag}: it is rate limiting the gateway. Retry later.`,
        retryAfter ? { 'retry-after': retryAfter } : {},
      );
    case 503:
    case 529:
      return new GatewayError(
        503,
        'api_error',
        'upstream_overloaded',
        `${tag}: it is overloaded. Retry later.`,
        retryAfter ? { 'retry-after': retryAfter } : {},
      );
    case 504:
      return upstreamTimeout(provider);
  }
  if (status >= 400 && status < 500) {
    return new GatewayError(status, 'invalid_request_error', details.code ?? 'invalid_request', details.message ?? `${tag}.`);
  }
  return new GatewayError(502, 'api_error', 'upstream_error', `${tag}.`);
}

const upstreamTimeout = (provider: string) =>
  new GatewayError(504, 'timeout', 'upstream_timeout', `Provider "${provider}" did not answer in time.`);

const upstreamUnreachable = (provider: string) =>
  new GatewayError(502, 'api_error', 'upstream_unavailable', `Provider "${provider}" could not be reached or dropped the connection.`);

/** `{error: {message, code}}` (OpenAI) or `{error: {message, type}}` (Anthropic); anything else gives nothing. */
function jsonErrorDetails(body: string): { message?: string; code?: string } {
  try {
    const error = JSON.parse(body)?.error;
    if (!error || typeof error !== 'object') return {};
    const code = typeof error.code === 'string' ? error.code : typeof error.type === 'string' ? error.type : undefined;
    return { message: typeof error.message === 'string' ? error.message : undefined, code };
  } catch {
    return {};
  }
}
