// Authenticates a request to a consumer: an API key, or a JWT when the Gateway trusts issuers.
import type { IncomingHttpHeaders } from 'node:http';
import type { IR } from '../../compiler/ir/types.ts';
import type { SecretResolver } from '../secrets.ts';
import { createApiKeyCheck } from './api-keys.ts';
import { presentedCredential } from './credential.ts';
import { createJwtCheck, looksLikeJwt } from './jwt.ts';
import type { AuthResult } from './result.ts';

export type { AuthFailure, AuthResult } from './result.ts';
/**
 * Synchronous for API keys and remembered JWTs; a promise only while jose (WebCrypto, which is async)
 * verifies a JWT not seen before. Callers await only when given a promise.
 */
export type Authenticator = (headers: IncomingHttpHeaders) => AuthResult | Promise<AuthResult>;

/**
 * 401 when no credential proves an identity (missing, malformed, unknown, expired, bad signature);
 * 403 when a genuine JWT maps to no consumer. Throws at creation (a start-up error) when an HS256
 * secret is missing or a public key is unusable, never per request.
 */
export function createAuthenticator(ir: IR, secrets: SecretResolver, clock: () => number = Date.now): Authenticator {
  const apiKey = createApiKeyCheck(ir.consumers, clock);
  const jwt = ir.gateway.auth.jwt.length > 0 ? createJwtCheck(ir.gateway, ir.consumers, secrets, clock) : undefined;
  return (headers) => {
    const credential = presentedCredential(headers);
    if (typeof credential !== 'string') return credential;
    return jwt !== undefined && looksLikeJwt(credential) ? jwt(credential) : apiKey(credential);
  };
}
