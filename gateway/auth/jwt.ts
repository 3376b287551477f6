// JWT bearer tokens (RFC 7519 / 7515 compact form) verified by jose, then mapped to consumers by claims.
import { decodeJwt, errors, type JWTPayload, jwtVerify } from 'jose';
import type { IRConsumer, IRGateway } from '../../compiler/ir/types.ts';
import type { SecretResolver } from '../secrets.ts';
import { loadVerifiers, type Verifier } from './jwt-keys.ts';
import { type AuthFailure, type AuthResult, forbidden, successes, unauthenticated } from './result.ts';

const MALFORMED = unauthenticated('invalid_token', 'The token is not a well-formed JWT.');
const UNTRUSTED_ISSUER = unauthenticated('invalid_token', "The token's issuer (iss) is not trusted by this gateway.");
const ALGORITHM_REFUSED = unauthenticated('invalid_token', "The token's algorithm is not accepted for its issuer.");
const BAD_SIGNATURE = unauthenticated('invalid_token', "The token's signature does not verify.");
const NO_EXPIRY = unauthenticated('invalid_token', 'The token has no numeric expiry (exp).');
const EXPIRED = unauthenticated('token_expired', 'The token has expired.');
const NOT_YET_VALID = unauthenticated('invalid_token', 'The token is not valid yet (nbf).');
const WRONG_AUDIENCE = unauthenticated('invalid_token', "The token's audience (aud) is not accepted.");
const NO_CONSUMER = forbidden('unknown_consumer', 'The token is valid but no consumer of this gateway matches its issuer and claims.');
const CLAIM_REFUSED = new Map([
  ['exp', NO_EXPIRY],
  ['nbf', NOT_YET_VALID],
  ['aud', WRONG_AUDIENCE],
  ['iss', UNTRUSTED_ISSUER],
]);

/** Tolerated clock difference between the issuer and this gateway. */
export const CLOCK_SKEW_MS = 30_000;
/** Verified tokens remembered, so that a client reusing its token skips the signature check (and the await). */
const VERIFIED_CACHE_SIZE = 1024;
/** Unpadded base64url parts only (RFC 7515): jose would also take padding, giving one token several spellings. */
const COMPACT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

interface ClaimMatcher {
  consumer: string;
  claims: [string, string][];
  result: AuthResult;
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

/** Claim values in the config are strings; a token's number or boolean claim matches its string form. */
function claimEquals(value: unknown, expected: string): boolean {
  return typeof value === 'string'
    ? value === expected
    : (typeof value === 'number' || typeof value === 'boolean') && String(value) === expected;
}

/** jose's verdict as the failure callers know; anything but a JOSEError is a fault of ours and propagates. */
function refusal(err: unknown): AuthFailure {
  if (err instanceof errors.JWTExpired) return EXPIRED;
  if (err instanceof errors.JWTClaimValidationFailed) return CLAIM_REFUSED.get(err.claim) ?? MALFORMED;
  if (err instanceof errors.JOSEAlgNotAllowed) return ALGORITHM_REFUSED;
  if (err instanceof errors.JWSSignatureVerificationFailed) return BAD_SIGNATURE;
  if (err instanceof errors.JOSEError) return MALFORMED;
  throw err;
}

/** Whether a bearer credential has the JWS compact shape (three parts); anything else is an API key. */
export const looksLikeJwt = (credential: string): boolean => {
  const first = credential.indexOf('.');
  const second = first < 0 ? -1 : credential.indexOf('.', first + 1);
  return second > 0 && credential.indexOf('.', second + 1) < 0;
};

/**
 * Picks the keys of the token's (unverified) `iss`, then has jose check, per key: `alg` is the one
 * algorithm of that key (so `none` never is, and HS256 only ever uses a configured secret), the
 * signature, `iss`, `aud` when the issuer lists audiences, `exp` (required) and `nbf` with
 * CLOCK_SKEW_MS, and `crit` (extensions jose does not know); then maps the claims to a consumer.
 * Remembered tokens answer synchronously, others return a promise.
 */
export function createJwtCheck(
  gateway: IRGateway,
  consumers: readonly IRConsumer[],
  secrets: SecretResolver,
  clock: () => number,
): (token: string) => AuthResult | Promise<AuthResult> {
  const verifiers = loadVerifiers(gateway.auth.jwt, secrets);
  const matchers = claimMatchers(consumers);
  const verified = new Map<string, { result: AuthResult; expiresAt: number }>();

  const accept = (token: string, issuer: string, payload: JWTPayload): AuthResult => {
    const match = matchers
      .get(issuer)
      ?.find((m) => m.claims.every(([name, expected]) => Object.hasOwn(payload, name) && claimEquals(payload[name], expected)));
    if (!match) return NO_CONSUMER;
    if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
    verified.set(token, { result: match.result, expiresAt: payload.exp! * 1000 + CLOCK_SKEW_MS });
    return match.result;
  };

  /** Only a key of another algorithm or a signature that does not verify moves on to the issuer's next key. */
  const verify = async (token: string, candidates: Verifier[], now: number): Promise<AuthResult> => {
    let failure = ALGORITHM_REFUSED;
    for (const v of candidates) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, await v.key, {
          algorithms: [v.algorithm],
          issuer: v.issuer,
          audience: v.audiences,
          requiredClaims: ['exp'],
          clockTolerance: CLOCK_SKEW_MS / 1000,
          currentDate: new Date(now),
        }));
      } catch (err) {
        const refused = refusal(err);
        if (refused === BAD_SIGNATURE) failure = refused;
        else if (refused !== ALGORITHM_REFUSED) return refused;
        continue;
      }
      return accept(token, v.issuer, payload);
    }
    return failure;
  };

  return (token) => {
    const now = clock();
    const hit = verified.get(token);
    if (hit !== undefined) {
      if (now < hit.expiresAt) return hit.result;
      verified.delete(token);
    }
    if (!COMPACT.test(token)) return MALFORMED;
    let iss: unknown;
    try {
      iss = decodeJwt(token).iss;
    } catch {
      return MALFORMED;
    }
    const candidates = typeof iss === 'string' ? verifiers.get(iss) : undefined;
    return candidates ? verify(token, candidates, now) : UNTRUSTED_ISSUER;
  };
}
