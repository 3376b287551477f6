import { createHash, createHmac, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { parseSecretRef } from '../../kernel/secret-env.ts';
import type { IR } from '../../compiler/ir/types.ts';
import { testConsumer, testGateway, testIR } from '../../test/support/ir-fixture.ts';
import { createSecretResolver, MissingSecretError } from '../secrets.ts';
import { createAuthenticator } from './index.ts';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const clock = () => NOW;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const rsaPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const ecPem = ec.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const HMAC_SECRET = 'a-shared-hmac-secret-of-enough-length-000';

type Signer = { alg: 'HS256'; secret: string | Buffer } | { alg: 'RS256' | 'ES256'; key: KeyObject };

function jwt(payload: Record<string, unknown>, signer: Signer, header: Record<string, unknown> = {}): string {
  const input = `${b64({ alg: signer.alg, typ: 'JWT', ...header })}.${b64(payload)}`;
  let signature: Buffer;
  if (signer.alg === 'HS256') signature = createHmac('sha256', signer.secret).update(input).digest();
  else if (signer.alg === 'ES256') signature = sign('sha256', Buffer.from(input), { key: signer.key, dsaEncoding: 'ieee-p1363' });
  else signature = sign('sha256', Buffer.from(input), signer.key);
  return `${input}.${signature.toString('base64url')}`;
}

const RS = { alg: 'RS256', key: rsa.privateKey } as const;
const ES = { alg: 'ES256', key: ec.privateKey } as const;
const HS = { alg: 'HS256', secret: HMAC_SECRET } as const;
const exp = NOW / 1000 + 600;
const claims = (extra: Record<string, unknown> = {}) => ({
  iss: 'https://idp.example',
  sub: 'svc-billing',
  aud: 'modelgate',
  exp,
  ...extra,
});

function ir(): IR {
  return testIR({
    gateway: testGateway({
      auth: {
        jwt: [
          { issuer: 'https://idp.example', audiences: ['modelgate'], algorithms: ['RS256', 'ES256'], publicKey: rsaPem },
          { issuer: 'https://idp.example', audiences: ['modelgate'], algorithms: ['ES256'], publicKey: ecPem },
          { issuer: 'https://hs.example', audiences: [], algorithms: ['HS256'], secret: parseSecretRef('env:JWT_HS_SECRET') },
        ],
      },
    }),
    consumers: [
      testConsumer('billing', { jwt: { issuer: 'https://idp.example', claims: { sub: 'svc-billing' } } }),
      testConsumer('billing-admin', { jwt: { issuer: 'https://idp.example', claims: { sub: 'svc-billing', role: 'admin' } } }),
      testConsumer('ci', {
        apiKeys: [
          { id: 'ci-1', sha256: sha256('sk-ci-valid-key') },
          { id: 'ci-old', sha256: sha256('sk-ci-old-key'), expires: '2026-03-09' },
          { id: 'ci-today', sha256: sha256('sk-ci-expires-today'), expires: '2026-03-10' },
        ],
      }),
      testConsumer('hs-app', { jwt: { issuer: 'https://hs.example', claims: {} } }),
    ],
  });
}

const authenticate = createAuthenticator(ir(), createSecretResolver({ JWT_HS_SECRET: HMAC_SECRET }), clock);
const consumerOf = async (headers: IncomingHttpHeaders) => {
  const result = await authenticate(headers);
  return result.ok ? result.consumer.name : `${result.status} ${result.code}`;
};
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('API keys', () => {
  it('accepts a configured key as a bearer token or in x-api-key', async () => {
    expect(await consumerOf(bearer('sk-ci-valid-key'))).toBe('ci');
    expect(await consumerOf({ authorization: 'bearer sk-ci-valid-key' })).toBe('ci');
    expect(await consumerOf({ 'x-api-key': 'sk-ci-valid-key' })).toBe('ci');
    expect(await consumerOf({ ...bearer('sk-ci-valid-key'), 'x-api-key': 'sk-ci-valid-key' })).toBe('ci');
  });

  it('refuses unknown, near-miss and whitespace-padded keys', async () => {
    expect(await consumerOf(bearer('sk-ci-valid-kez'))).toBe('401 invalid_api_key');
    expect(await consumerOf(bearer('sk-ci-valid-key '))).toBe('401 invalid_credentials');
    expect(await consumerOf({ 'x-api-key': ' sk-ci-valid-key' })).toBe('401 invalid_credentials');
    expect(await consumerOf({ 'x-api-key': 'sk-ci-valid-key\t' })).toBe('401 invalid_credentials');
    expect(await consumerOf(bearer(sha256('sk-ci-valid-key')))).toBe('401 invalid_api_key');
  });

  it('refuses an expired key and keeps one valid through its expiry day (UTC)', async () => {
    expect(await consumerOf(bearer('sk-ci-old-key'))).toBe('401 expired_api_key');
    expect(await consumerOf(bearer('sk-ci-expires-today'))).toBe('ci');
  });

  it('refuses missing, empty and non-bearer credentials', async () => {
    expect(await consumerOf({})).toBe('401 missing_credentials');
    expect(await consumerOf({ authorization: 'Bearer ' })).toBe('401 invalid_credentials');
    expect(await consumerOf({ authorization: 'Bearer' })).toBe('401 invalid_authorization');
    expect(await consumerOf({ authorization: 'Bearer  sk-ci-valid-key' })).toBe('401 invalid_credentials');
    expect(await consumerOf({ authorization: `Basic ${b64('ci:sk-ci-valid-key')}` })).toBe('401 invalid_authorization');
    expect(await consumerOf({ 'x-api-key': '' })).toBe('401 invalid_credentials');
  });

  it('refuses header injection and conflicting or duplicated credentials', async () => {
    expect(await consumerOf({ 'x-api-key': 'sk-ci-valid-key\r\nx-consumer: admin' })).toBe('401 invalid_credentials');
    expect(await consumerOf({ 'x-api-key': 'sk-ci-valid-key, sk-other' })).toBe('401 invalid_credentials');
    expect(await consumerOf({ 'x-api-key': ['sk-ci-valid-key', 'sk-other'] } as IncomingHttpHeaders)).toBe('401 conflicting_credentials');
    expect(await consumerOf({ ...bearer('sk-unknown'), 'x-api-key': 'sk-ci-valid-key' })).toBe('401 conflicting_credentials');
    expect(await consumerOf(bearer('sk-ci-valid-key\0'))).toBe('401 invalid_credentials');
    expect(await consumerOf(bearer('x'.repeat(10_000)))).toBe('401 invalid_credentials');
  });
});

describe('JWT', () => {
  it('maps RS256, ES256 and HS256 tokens to consumers by issuer and claims', async () => {
    expect(await consumerOf(bearer(jwt(claims(), RS)))).toBe('billing');
    expect(await consumerOf(bearer(jwt(claims(), ES)))).toBe('billing');
    expect(await consumerOf(bearer(jwt({ iss: 'https://hs.example', sub: 'x', exp }, HS)))).toBe('hs-app');
  });

  it('picks the consumer with the most matching claims', async () => {
    expect(await consumerOf(bearer(jwt(claims({ role: 'admin' }), RS)))).toBe('billing-admin');
    expect(await consumerOf(bearer(jwt(claims({ role: 'viewer' }), RS)))).toBe('billing');
  });

  it('answers 403 for a genuine token that no consumer claims', async () => {
    expect(await consumerOf(bearer(jwt(claims({ sub: 'svc-unknown' }), RS)))).toBe('403 unknown_consumer');
  });

  it('refuses alg none, with or without a signature', async () => {
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}`;
    expect(await consumerOf(bearer(`${unsigned}.`))).toBe('401 invalid_token');
    expect(await consumerOf(bearer(`${unsigned}.${b64('sig')}`))).toBe('401 invalid_token');
    const noneVariant = `${b64({ alg: 'None' })}.${b64(claims())}.${b64('sig')}`;
    expect(await consumerOf(bearer(noneVariant))).toBe('401 invalid_token');
  });

  it('refuses HS256 signed with the RSA public key as the secret (algorithm confusion)', async () => {
    const forged = jwt(claims(), { alg: 'HS256', secret: rsaPem });
    expect(await consumerOf(bearer(forged))).toBe('401 invalid_token');
    const forgedDer = jwt(claims(), { alg: 'HS256', secret: rsa.publicKey.export({ type: 'spki', format: 'der' }) });
    expect(await consumerOf(bearer(forgedDer))).toBe('401 invalid_token');
    // An issuer that accepts HS256 still only uses its configured secret.
    const onHs = jwt({ iss: 'https://hs.example', exp }, { alg: 'HS256', secret: rsaPem });
    expect(await consumerOf(bearer(onHs))).toBe('401 invalid_token');
  });

  it('refuses an RS256 header over an ES256 key and a DER-encoded ES256 signature', async () => {
    const esAsRs = jwt(claims(), ES, { alg: 'RS256' });
    expect(await consumerOf(bearer(esAsRs))).toBe('401 invalid_token');
    const input = `${b64({ alg: 'ES256' })}.${b64(claims())}`;
    const der = sign('sha256', Buffer.from(input), ec.privateKey).toString('base64url');
    expect(await consumerOf(bearer(`${input}.${der}`))).toBe('401 invalid_token');
  });

  it('refuses a tampered payload or header', async () => {
    const [h, , s] = jwt(claims(), RS).split('.');
    expect(await consumerOf(bearer(`${h}.${b64(claims({ role: 'admin' }))}.${s}`))).toBe('401 invalid_token');
    const [, p, s2] = jwt(claims(), RS).split('.');
    expect(await consumerOf(bearer(`${b64({ alg: 'RS256', kid: 'x' })}.${p}.${s2}`))).toBe('401 invalid_token');
  });

  it('checks exp and nbf with a small clock skew, and requires exp', async () => {
    expect(await consumerOf(bearer(jwt(claims({ exp: NOW / 1000 - 60 }), RS)))).toBe('401 token_expired');
    expect(await consumerOf(bearer(jwt(claims({ exp: NOW / 1000 - 10 }), RS)))).toBe('billing');
    expect(await consumerOf(bearer(jwt(claims({ nbf: NOW / 1000 + 120 }), RS)))).toBe('401 invalid_token');
    expect(await consumerOf(bearer(jwt(claims({ nbf: NOW / 1000 + 10 }), RS)))).toBe('billing');
    expect(await consumerOf(bearer(jwt(claims({ exp: undefined }), RS)))).toBe('401 invalid_token');
    expect(await consumerOf(bearer(jwt(claims({ exp: String(exp) }), RS)))).toBe('401 invalid_token');
  });

  it('forgets a remembered token once it expires', async () => {
    let now = NOW;
    const auth = createAuthenticator(ir(), createSecretResolver({ JWT_HS_SECRET: HMAC_SECRET }), () => now);
    const token = bearer(jwt(claims({ exp: NOW / 1000 + 5 }), RS));
    expect((await auth(token)).ok).toBe(true);
    now += 60_000;
    expect(await auth(token)).toMatchObject({ ok: false, code: 'token_expired' });
  });

  it('refuses a wrong issuer and a wrong or missing audience', async () => {
    expect(await consumerOf(bearer(jwt(claims({ iss: 'https://evil.example' }), RS)))).toBe('401 invalid_token');
    expect(await consumerOf(bearer(jwt(claims({ aud: 'other-api' }), RS)))).toBe('401 invalid_token');
    expect(await consumerOf(bearer(jwt(claims({ aud: undefined }), RS)))).toBe('401 invalid_token');
    expect(await consumerOf(bearer(jwt(claims({ aud: ['other-api', 'modelgate'] }), RS)))).toBe('billing');
  });

  it('refuses malformed tokens and unknown critical headers', async () => {
    expect(await consumerOf(bearer('a.b.c'))).toBe('401 invalid_token');
    expect(await consumerOf(bearer(`${b64('[1]')}.${b64(claims())}.${b64('x')}`))).toBe('401 invalid_token');
    expect(await consumerOf(bearer(jwt(claims(), RS, { crit: ['exp'] })))).toBe('401 invalid_token');
  });

  it('never echoes a credential in a failure', async () => {
    const token = jwt(claims({ sub: 'svc-unknown' }), RS);
    for (const headers of [bearer(token), bearer('sk-secret-value'), { 'x-api-key': 'sk-secret-value ' }]) {
      const result = await authenticate(headers);
      expect(result.ok).toBe(false);
      expect(JSON.stringify(result)).not.toContain('sk-secret-value');
      expect(JSON.stringify(result)).not.toContain(token.split('.')[2]);
    }
  });

  it('fails at start-up when an HS256 secret is missing or a public key is unusable', () => {
    expect(() => createAuthenticator(ir(), createSecretResolver({}))).toThrow(MissingSecretError);
    expect(() => createAuthenticator(ir(), createSecretResolver({}))).toThrow('env:JWT_HS_SECRET is not set');
    const badKey = testIR({
      gateway: testGateway({ auth: { jwt: [{ issuer: 'x', audiences: [], algorithms: ['RS256'], publicKey: 'nope' }] } }),
    });
    expect(() => createAuthenticator(badKey, createSecretResolver({}))).toThrow('JWT issuer x: publicKey is not a PEM public key');
    const noKey = testIR({
      gateway: testGateway({ auth: { jwt: [{ issuer: 'x', audiences: [], algorithms: ['ES256'], publicKey: rsaPem }] } }),
    });
    expect(() => createAuthenticator(noKey, createSecretResolver({}))).toThrow('none of its algorithms (ES256) has a key');
  });
});

describe('JWT keys pinned to their algorithm', () => {
  // One issuer with both a secret and a public key: the setting where algorithm confusion bites.
  const both = testIR({
    gateway: testGateway({
      auth: {
        jwt: [
          {
            issuer: 'https://both.example',
            audiences: [],
            algorithms: ['HS256', 'RS256'],
            secret: parseSecretRef('env:JWT_HS_SECRET'),
            publicKey: rsaPem,
          },
        ],
      },
    }),
    consumers: [testConsumer('both-app', { jwt: { issuer: 'https://both.example', claims: {} } })],
  });
  const auth = createAuthenticator(both, createSecretResolver({ JWT_HS_SECRET: HMAC_SECRET }), clock);
  const payload = { iss: 'https://both.example', exp };
  const refusal = async (token: string) => {
    const result = await auth(bearer(token));
    return result.ok ? 'accepted' : `${result.code}: ${result.message}`;
  };

  it('accepts each algorithm with its own key', async () => {
    expect(await refusal(jwt(payload, RS))).toBe('accepted');
    expect(await refusal(jwt(payload, HS))).toBe('accepted');
  });

  it('refuses HS256 signed with the public key, PEM or DER, as the secret', async () => {
    const der = rsa.publicKey.export({ type: 'spki', format: 'der' });
    for (const secret of [rsaPem, der]) {
      expect(await refusal(jwt(payload, { alg: 'HS256', secret }))).toBe("invalid_token: The token's signature does not verify.");
    }
  });

  it('refuses alg none and algorithms the issuer does not list', async () => {
    const refused = "invalid_token: The token's algorithm is not accepted for its issuer.";
    expect(await refusal(`${b64({ alg: 'none' })}.${b64(payload)}.`)).toBe('invalid_token: The token is not a well-formed JWT.');
    expect(await refusal(`${b64({ alg: 'none' })}.${b64(payload)}.${b64('sig')}`)).toBe(refused);
    const hs512 = `${b64({ alg: 'HS512' })}.${b64(payload)}`;
    expect(await refusal(`${hs512}.${createHmac('sha512', HMAC_SECRET).update(hs512).digest('base64url')}`)).toBe(refused);
  });

  it('refuses padded base64url, so that a token has one spelling', async () => {
    const [h, p, s] = jwt(payload, RS).split('.');
    expect(await refusal(`${h}.${p}.${s}==`)).toBe('invalid_token: The token is not a well-formed JWT.');
  });

  it('answers API keys and remembered tokens synchronously, a new token with a promise', async () => {
    expect(authenticate(bearer('sk-ci-valid-key'))).not.toBeInstanceOf(Promise);
    expect(authenticate({})).not.toBeInstanceOf(Promise);
    const token = bearer(jwt({ ...payload, jti: 'not-seen-before' }, RS));
    const first = auth(token);
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toMatchObject({ ok: true });
    expect(auth(token)).toMatchObject({ ok: true });
  });

  it('fails at start-up on an RSA key jose would refuse (under 2048 bits)', () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const ir = testIR({
      gateway: testGateway({ auth: { jwt: [{ issuer: 'x', audiences: [], algorithms: ['RS256'], publicKey: small }] } }),
    });
    expect(() => createAuthenticator(ir, createSecretResolver({}))).toThrow(
      'JWT issuer x: publicKey is a 1024-bit RSA key; RS256 needs 2048 bits or more',
    );
  });
});
