// The trusted issuers' keys, read once per config: node:crypto checks them synchronously (a bad key fails
// the config load, never a request), WebCrypto imports them for jose without blocking the load.
import { createPublicKey, type KeyObject, subtle, type webcrypto } from 'node:crypto';
import type { IRGateway } from '../../compiler/ir/types.ts';
import type { SecretResolver } from '../secrets.ts';

type Algorithm = IRGateway['auth']['jwt'][number]['algorithms'][number];

/** One key and the one algorithm it verifies, so jose's `algorithms` pin refuses any other (`none`, HS256 over a public key). */
export interface Verifier {
  issuer: string;
  /** Undefined when the issuer lists none: `aud` is then not checked. */
  audiences: string[] | undefined;
  algorithm: Algorithm;
  key: Promise<webcrypto.CryptoKey>;
}

const WEBCRYPTO = {
  HS256: { name: 'HMAC', hash: 'SHA-256' },
  RS256: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
} as const;

/** jose refuses shorter RSA keys on every verification; better said once, at load. */
const MIN_RSA_BITS = 2048;

function importKey(format: 'raw' | 'spki', data: Buffer, algorithm: Algorithm): Promise<webcrypto.CryptoKey> {
  const key = subtle.importKey(format, data, WEBCRYPTO[algorithm], false, ['verify']);
  // Data node:crypto accepted does not fail here; should it, the requests awaiting the key report it.
  key.catch(() => {});
  return key;
}

/** A public key and the algorithm it is for: an RSA key never verifies ES256 and vice versa. */
function readPublicKey(issuer: string, pem: string): { key: KeyObject; algorithm: 'RS256' | 'ES256' } {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new Error(`JWT issuer ${issuer}: publicKey is not a PEM public key`);
  }
  const { asymmetricKeyType: type, asymmetricKeyDetails: details } = key;
  if (type === 'ec' && details?.namedCurve === 'prime256v1') return { key, algorithm: 'ES256' };
  if (type !== 'rsa') throw new Error(`JWT issuer ${issuer}: publicKey must be an RSA or P-256 EC key`);
  const bits = details?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS)
    throw new Error(`JWT issuer ${issuer}: publicKey is a ${bits}-bit RSA key; RS256 needs ${MIN_RSA_BITS} bits or more`);
  return { key, algorithm: 'RS256' };
}

/** Per issuer, its verifiers. Throws on an unreadable key or an issuer left without a usable key. */
export function loadVerifiers(issuers: IRGateway['auth']['jwt'], secrets: SecretResolver): Map<string, Verifier[]> {
  const byIssuer = new Map<string, Verifier[]>();
  for (const issuer of issuers) {
    const audiences = issuer.audiences.length > 0 ? issuer.audiences : undefined;
    const verifiers: Verifier[] = [];
    const add = (algorithm: Algorithm, key: Promise<webcrypto.CryptoKey>) =>
      verifiers.push({ issuer: issuer.issuer, audiences, algorithm, key });
    if (issuer.secret && issuer.algorithms.includes('HS256'))
      add('HS256', importKey('raw', Buffer.from(secrets(issuer.secret), 'utf8'), 'HS256'));
    if (issuer.publicKey) {
      const { key, algorithm } = readPublicKey(issuer.issuer, issuer.publicKey);
      if (issuer.algorithms.includes(algorithm)) add(algorithm, importKey('spki', key.export({ type: 'spki', format: 'der' }), algorithm));
    }
    if (verifiers.length === 0)
      throw new Error(`JWT issuer ${issuer.issuer}: none of its algorithms (${issuer.algorithms.join(', ')}) has a key`);
    byIssuer.set(issuer.issuer, [...(byIssuer.get(issuer.issuer) ?? []), ...verifiers]);
  }
  return byIssuer;
}
