// Reading request bodies under a size limit and writing JSON responses: the only HTTP plumbing handlers use.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { GatewayError } from '../errors.ts';

const tooLarge = (max: number) =>
  new GatewayError(413, 'invalid_request_error', 'request_too_large', `Request body is larger than the gateway's limit of ${max} bytes.`, { connection: 'close' });

/** The whole body, or a 413 as soon as it is known to exceed `maxBytes` (from content-length or while reading). */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.off('data', onData);
        req.pause();
        reject(tooLarge(maxBytes));
      } else chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    req.once('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: string, headers: OutgoingHttpHeaders): void {
  headers['content-type'] = 'application/json';
  headers['content-length'] = Buffer.byteLength(body);
  res.writeHead(status, headers);
  res.end(body);
}

export function sendError(res: ServerResponse, error: GatewayError, headers: OutgoingHttpHeaders): void {
  sendJson(res, error.status, JSON.stringify(error), { ...headers, ...error.headers });
}

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's `x-request-id` when it is a sane token (so traces join up), else a fresh UUID. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
}
