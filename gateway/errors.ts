// The gateway's failures as OpenAI-style error bodies, so that OpenAI clients raise their usual exceptions.

/** What a client receives: `{error: {message, type, param, code}}` with an HTTP status and extra headers. */
export class GatewayError extends Error {
  override name = 'GatewayError';
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toJSON(): { error: { message: string; type: string; param: null; code: string } } {
    return { error: { message: this.message, type: this.type, param: null, code: this.code } };
  }
}

export const badRequest = (code: string, message: string) => new GatewayError(400, 'invalid_request_error', code, message);
export const notFound = (code: string, message: string) => new GatewayError(404, 'invalid_request_error', code, message);
export const forbidden = (code: string, message: string) => new GatewayError(403, 'permission_error', code, message);

/** nginx's 499: the client went away first. Only ever logged, since there is nobody to send it to. */
export const CLIENT_CLOSED = new GatewayError(499, 'client_closed', 'client_closed', 'The client closed the connection before the answer was complete.');
