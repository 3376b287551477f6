// Finds the one credential a request presents: `Authorization: Bearer <c>` or `x-api-key: <c>`.
import type { IncomingHttpHeaders } from 'node:http';
import { type AuthFailure, unauthenticated } from './result.ts';

const MISSING = unauthenticated('missing_credentials', 'Send an API key (Authorization: Bearer <key> or x-api-key: <key>) or a JWT.');
const NOT_BEARER = unauthenticated('invalid_authorization', 'The Authorization header must read `Bearer <credential>`.');
const MALFORMED = unauthenticated('invalid_credentials', 'The credential is empty, too long or holds characters credentials never hold.');
const AMBIGUOUS = unauthenticated('conflicting_credentials', 'Authorization and x-api-key carry different credentials; send one.');

/** Generous for a JWT with many claims; keeps hashing and parsing of hostile input bounded. */
const MAX_CREDENTIAL_LENGTH = 8192;
/** Visible ASCII only: no spaces, commas from joined duplicate headers, or control characters. */
const CREDENTIAL = /^[\x21-\x2b\x2d-\x7e]+$/;

export function presentedCredential(headers: IncomingHttpHeaders): string | AuthFailure {
  const authorization = headers.authorization;
  const apiKey = headers['x-api-key'];
  let bearer: string | undefined;
  if (authorization !== undefined) {
    // RFC 7235: the scheme is case-insensitive; RFC 6750: exactly one space before the token.
    if (typeof authorization !== 'string' || authorization.length < 7 || !/^bearer /i.test(authorization)) return NOT_BEARER;
    bearer = authorization.slice(7);
  }
  if (apiKey !== undefined && typeof apiKey !== 'string') return AMBIGUOUS;
  if (bearer !== undefined && apiKey !== undefined && bearer !== apiKey) return AMBIGUOUS;
  const credential = bearer ?? apiKey;
  if (credential === undefined) return MISSING;
  if (credential.length > MAX_CREDENTIAL_LENGTH || !CREDENTIAL.test(credential)) return MALFORMED;
  return credential;
}
