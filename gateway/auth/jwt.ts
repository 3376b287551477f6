// JWT bearer tokens (RFC 7519 / 7515 compact form) verified with node:crypto, mapped to consumers by claims.
import { createHmac, createPublicKey, type KeyObject, timingSafeEqual, verify } from 'node:crypto';
import type { IRConsumer, IRGateway } from '../../compiler/ir/types.ts';
import type { SecretResolver } from '../secrets.ts';
import { type AuthResult, forbidden, successes, unauthenticated } from './result.ts';

type Algorithm = IRGateway['auth']['jwt'][number]['algorithms'][number];
type Claims = Record<string, unknown>;

const MALFORMED = unauthenticated('invalid_token', 'The token is not a well-formed JWT.');
const UNTRUSTED_ISSUER = unauthenticated('invalid_token', "The token's issuer (iss) is not trusted by this gateway.");
const ALGORITHM_REFUSED = unauthenticated('invalid_token', "The token's algorithm is not accepted for its issuer.");
const BAD_SIGNATURE = unauthenticated('invalid_token', "The token's signature does not verify.");
const NO_EXPIRY = unauthenticated('invalid_token', 'The token has no numeric expiry (exp).');
const EXPIRED = unauthenticated('token_expired', 'The token has expired.');
const NOT_YET_VALID = unauthenticated('invalid_token', 'The token is not valid yet (nbf).');
const WRONG_AUDIENCE = unauthenticated('invalid_token', "The token's audience (aud) is not accepted.");
const NO_CONSUMER = forbidden('unknown_consumer', 'The token is valid but no consumer of this gateway matches its issuer and claims.');

/** Tolerated clock difference between the issuer and this gateway. */
export const CLOCK_SKEW_MS = 30_000;
/** Verified tokens remembered, so that a client reusing its token skips the signature check. */
const VERIFIED_CACHE_SIZE = 1024;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

interface TrustedKey {
  issuer: string;
  audiences: ReadonlySet<string>;
  algorithms: ReadonlySet<Algorithm>;
  hmacSecret?: Buffer;
  publicKey?: KeyObject;
  /** The one asymmetric algorithm the public key is for: an RSA key never verifies ES256 and vice versa. */
  publicKeyAlgorithm?: 'RS256' | 'ES256';
}

interface ClaimMatcher {
  consumer: string;
  claims: [string, string][];
  result: AuthResult;
}

/** Fails at start-up (never per request) on an unreadable key or an issuer left without a usable key. */
function trustedKeys(issuers: IRGateway['auth']['jwt'], secrets: SecretResolver): Map<string, TrustedKey[]> {
  const byIssuer = new Map<string, TrustedKey[]>();
  for (const issuer of issuers) {
    const key: TrustedKey = { issuer: issuer.issuer, audiences: new Set(issuer.audiences), algorithms: new Set(issuer.algorithms) };
    if (issuer.secret && key.algorithms.has('HS256')) key.hmacSecret = Buffer.from(secrets(issuer.secret), 'utf8');
    if (issuer.publicKey) {
      try {
        key.publicKey = createPublicKey(issuer.publicKey);
      } catch {
        throw new Error(`JWT issuer ${issuer.issuer}: publicKey is not a PEM public key`);
      }
      const { asymmetricKeyType: type, asymmetricKeyDetails: details } = key.publicKey;
      if (type === 'rsa') key.publicKeyAlgorithm = 'RS256';
      else if (type === 'ec' && details?.namedCurve === 'prime256v1') key.publicKeyAlgorithm = 'ES256';
      else throw new Error(`JWT issuer ${issuer.issuer}: publicKey must be an RSA or P-256 EC key`);
    }
    if (!key.hmacSecret && !(key.publicKeyAlgorithm && key.algorithms.has(key.publicKeyAlgorithm))) {
      throw new Error(`JWT issuer ${issuer.issuer}: none of its algorithms (${issuer.algorithms.join(', ')}) has a key`);
    }
    byIssuer.set(issuer.issuer, [...(byIssuer.get(issuer.issuer) ?? []), key]);
  }
  return byIssuer;
}

/** Per issuer, the consumers to try: most claims first (the most specific mapping wins), then by name. */
function claimMatchers(consumers: readonly IRConsumer[]): Map<string, ClaimMatcher[]> {
  const ok = successes(consumers);
  const byIssuer = new Map<string, ClaimMatcher[]>();
  for (const consumer of consumers) {
    if (!consumer.jwt) continue;
    const list = byIssuer.get(consumer.jwt.issuer) ?? [];
    list.push({ consumer: consumer.name, claims: Object.entries(consumer.jwt.claims), result: ok.get(consumer.name)! });
    byIssuer.set(consumer.jwt.issuer, list);
  }
  for (const list of byIssuer.values()) {
    list.sort((a, b) => b.claims.length - a.claims.length || (a.consumer < b.consumer ? -1 : a.consumer > b.consumer ? 1 : 0));
  }
  return byIssuer;
}

function decodeJson(part: string): Claims | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Claims) : undefined;
  } catch {
    return undefined;
  }
}

function signatureVerifies(key: TrustedKey, alg: Algorithm, signingInput: string, signature: Buffer): boolean {
  if (alg === 'HS256') {
    if (!key.hmacSecret || signature.length !== 32) return false;
    return timingSafeEqual(createHmac('sha256', key.hmacSecret).update(signingInput).digest(), signature);
  }
  if (!key.publicKey || key.publicKeyAlgorithm !== alg) return false;
  // JWS ES256 signatures are the raw r||s pair (RFC 7518 §3.4), not DER.
  if (alg === 'ES256') {
    return signature.length === 64 && verify('sha256', Buffer.from(signingInput), { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  }
  return verify('sha256', Buffer.from(signingInput), key.publicKey, signature);
}

/** Claim values in the config are strings; a token's number or boolean claim matches its string form. */
function claimEquals(value: unknown, expected: string): boolean {
  return typeof value === 'string' ? value === expected : (typeof value === 'number' || typeof value === 'boolean') && String(value) === expected;
}

function audienceAccepted(aud: unknown, accepted: ReadonlySet<string>): boolean {
  if (accepted.size === 0) return true;
  if (typeof aud === 'string') return accepted.has(aud);
  return Array.isArray(aud) && aud.some((a) => typeof a === 'string' && accepted.has(a));
}

/** Whether a bearer credential has the JWS compact shape (three parts); anything else is an API key. */
export const looksLikeJwt = (credential: string): boolean => {
  const first = credential.indexOf('.');
  const second = first < 0 ? -1 : credential.indexOf('.', first + 1);
  return second > 0 && credential.indexOf('.', second + 1) < 0;
};

/**
 * Checks, in order: shape, trusted `iss`, `alg` among the issuer's algorithms and matching its key
 * type (`none` never is; HS256 only ever uses the configured secret, so an RSA public key can't be
 * replayed as an HMAC secret), signature, `exp` (required) and `nbf` with CLOCK_SKEW_MS, `aud`
 * when the issuer lists audiences; then maps the claims to a consumer. Tokens carrying `crit`
 * headers are refused: no extension is understood.
 */
export function createJwtCheck(
  gateway: IRGateway,
  consumers: readonly IRConsumer[],
  secrets: SecretResolver,
  clock: () => number,
): (token: string) => AuthResult {
  const keys = trustedKeys(gateway.auth.jwt, secrets);
  const matchers = claimMatchers(consumers);
  const verified = new Map<string, { result: AuthResult; expiresAt: number }>();

  return (token) => {
    const now = clock();
    const hit = verified.get(token);
    if (hit !== undefined) {
      if (now < hit.expiresAt) return hit.result;
      verified.delete(token);
    }
    const [headerPart, payloadPart, signaturePart] = token.split('.');
    if (!BASE64URL.test(headerPart) || !BASE64URL.test(payloadPart) || !BASE64URL.test(signaturePart)) return MALFORMED;
    const header = decodeJson(headerPart);
    const payload = decodeJson(payloadPart);
    if (!header || !payload || typeof header.alg !== 'string' || header.crit !== undefined) return MALFORMED;
    const candidates = typeof payload.iss === 'string' ? keys.get(payload.iss) : undefined;
    if (!candidates) return UNTRUSTED_ISSUER;
    const alg = header.alg as Algorithm;
    const usable = candidates.filter((k) => k.algorithms.has(alg));
    if (usable.length === 0) return ALGORITHM_REFUSED;
    const signingInput = token.slice(0, headerPart.length + 1 + payloadPart.length);
    const signature = Buffer.from(signaturePart, 'base64url');
    const key = usable.find((k) => signatureVerifies(k, alg, signingInput, signature));
    if (!key) return BAD_SIGNATURE;

    if (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) return NO_EXPIRY;
    const expiresAt = payload.exp * 1000 + CLOCK_SKEW_MS;
    if (now >= expiresAt) return EXPIRED;
    if (payload.nbf !== undefined && !(typeof payload.nbf === 'number' && payload.nbf * 1000 - CLOCK_SKEW_MS <= now)) return NOT_YET_VALID;
    if (!audienceAccepted(payload.aud, key.audiences)) return WRONG_AUDIENCE;

    const match = matchers
      .get(key.issuer)
      ?.find((m) => m.claims.every(([name, expected]) => Object.hasOwn(payload, name) && claimEquals(payload[name], expected)));
    if (!match) return NO_CONSUMER;
    if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
    verified.set(token, { result: match.result, expiresAt });
    return match.result;
  };
}
