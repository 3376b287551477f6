// The gateway's failures: a status, an OpenAI-style type and code, a message, and the request field at fault.
// Each ingress API renders them in its own shape (apis/*/errors).

export class GatewayError extends Error {
  override name = 'GatewayError';
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    /** The request field at fault (`messages.0.content`), when one is. */
    readonly param: string | null = null,
  ) {
    super(message);
  }

  /** OpenAI's shape, `{error: {message, type, param, code}}`, so that OpenAI clients raise their usual exceptions. */
  toJSON(): { error: { message: string; type: string; param: string | null; code: string } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export const badRequest = (code: string, message: string, param: string | null = null) =>
  new GatewayError(400, 'invalid_request_error', code, message, {}, param);
export const notFound = (code: string, message: string) => new GatewayError(404, 'invalid_request_error', code, message);
export const forbidden = (code: string, message: string) => new GatewayError(403, 'permission_error', code, message);

/** nginx's 499: the client went away first. Only ever logged, since there is nobody to send it to. */
export const CLIENT_CLOSED = new GatewayError(
  499,
  'client_closed',
  'client_closed',
  'The client closed the connection before the answer was complete.',
);
