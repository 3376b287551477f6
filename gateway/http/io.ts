// Reading request bodies under a size limit and writing JSON responses: the only HTTP plumbing handlers use.
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorShape } from '../apis/face.ts';
import { CLIENT_CLOSED, GatewayError } from '../errors.ts';

const tooLarge = (max: number) =>
  new GatewayError(413, 'invalid_request_error', 'request_too_large', `Request body is larger than the gateway's limit of ${max} bytes.`, {
    connection: 'close',
  });

/** The whole body, or a 413 as soon as it is known to exceed `maxBytes` (from content-length or while reading). */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Listeners passed as arguments, none named: the bundle would name each one per request (esbuild's keepNames).
    req.on('data', (chunk: Buffer) => {
      if (size > maxBytes) return; // refused already
      size += chunk.length;
      if (size > maxBytes) {
        req.pause();
        reject(tooLarge(maxBytes));
      } else chunks.push(chunk);
    });
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    // The only error a request body has: the client left (or was cut off by requestTimeout) before sending it all.
    req.once('error', () => reject(CLIENT_CLOSED));
  });
}

export function sendJson(res: ServerResponse, status: number, body: string | Buffer, headers: OutgoingHttpHeaders): void {
  headers['content-type'] = 'application/json';
  headers['content-length'] = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  res.writeHead(status, headers);
  res.end(body);
}

export function sendError(res: ServerResponse, shape: ErrorShape, error: GatewayError, headers: OutgoingHttpHeaders): void {
  sendJson(res, shape.status(error), shape.body(error), { ...headers, ...error.headers });
}

const CLIENT_ERRORS: Record<string, [status: number, code: string, message: string]> = {
  HPE_HEADER_OVERFLOW: [431, 'request_header_fields_too_large', 'The request headers are larger than the gateway accepts.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request_timeout', 'The request was not received in time.'],
};

/**
 * The server's `clientError` handler: what Node answers by itself (400, 408, 431 with an empty body) for a request
 * it cannot parse or that arrives too slowly, in the OpenAI error format like every other error.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  // As Node does: answer only when no response has started on this connection.
  const current = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
  if (socket.writable && !current?.headersSent) {
    const [status, code, message] = CLIENT_ERRORS[err.code ?? ''] ?? [400, 'bad_request', 'The request is not valid HTTP/1.1.'];
    const body = JSON.stringify(new GatewayError(status, 'invalid_request_error', code, message));
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's `x-request-id` when it is a sane token (so traces join up), else a fresh UUID. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
}
