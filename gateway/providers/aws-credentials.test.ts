// A Bedrock provider's credentials from a web identity: the STS exchange (against a stand-in STS on 127.0.0.1),
// its renewal, its failures, and requests signed with the temporary keys that the Bedrock mock accepts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IRProvider } from '../../compiler/ir/types.ts';
import { testModel, testProvider } from '../../test/support/ir-fixture.ts';
import { BEDROCK_TEST_REGION, startMockBedrock, type MockUpstream } from '../../test/mock-providers/index.ts';
import { createSecretResolver, MissingSecretError } from '../secrets.ts';
import { awsCredentials } from './aws-credentials.ts';
import { bedrockAdapter } from './bedrock.ts';
import { UpstreamFailure } from './upstream-errors.ts';

const ROLE = 'arn:aws:iam::123456789012:role/modelgate';
const TEMPORARY = {
  accessKeyId: 'ASIAMOCKTEMPORARY001',
  secretAccessKey: 'temporary-secret-from-sts',
  sessionToken: 'temporary-session-token-from-sts',
};

/** A stand-in for AWS STS: AssumeRoleWithWebIdentity for one role and token, answered in STS's XML. */
let sts: http.Server;
let stsEndpoint: string;
const calls: URLSearchParams[] = [];
let answer: { status: number; expiresInMs: number } = { status: 200, expiresInMs: 3_600_000 };
let dir: string;
let tokenFile: string;

beforeAll(async () => {
  sts = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      calls.push(form);
      if (answer.status !== 200) {
        res.writeHead(answer.status, { 'content-type': 'text/xml' });
        return res.end(
          '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>No OpenIDConnect provider found</Message></Error></ErrorResponse>',
        );
      }
      const expiration = new Date(Date.now() + answer.expiresInMs).toISOString();
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithWebIdentityResult><Credentials>` +
          `<AccessKeyId>${TEMPORARY.accessKeyId}</AccessKeyId><SecretAccessKey>${TEMPORARY.secretAccessKey}</SecretAccessKey>` +
          `<SessionToken>${TEMPORARY.sessionToken}</SessionToken><Expiration>${expiration}</Expiration>` +
          `</Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>`,
      );
    });
  });
  await new Promise<void>((resolve) => sts.listen(0, '127.0.0.1', resolve));
  stsEndpoint = `http://127.0.0.1:${(sts.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'modelgate-web-identity-'));
  tokenFile = join(dir, 'token');
});
afterAll(async () => {
  await new Promise((resolve) => sts.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  calls.length = 0;
  answer = { status: 200, expiresInMs: 3_600_000 };
  writeFileSync(tokenFile, 'eyJ.service-account-token.1\n');
});

const webIdentity = () => ({ region: BEDROCK_TEST_REGION, webIdentityTokenFile: tokenFile, roleArn: ROLE, stsEndpoint });
const source = () => awsCredentials('bedrock-eu', webIdentity(), createSecretResolver({})) as () => Promise<unknown>;

describe('web identity credentials', () => {
  it('exchanges the token file for temporary keys once, until they near their expiry', async () => {
    const credentials = source();
    expect(await credentials()).toMatchObject(TEMPORARY);
    await credentials();
    expect(calls).toHaveLength(1);
    expect(Object.fromEntries(calls[0]!)).toEqual({
      Action: 'AssumeRoleWithWebIdentity',
      Version: '2011-06-15',
      RoleArn: ROLE,
      RoleSessionName: 'modelgate-bedrock-eu',
      WebIdentityToken: 'eyJ.service-account-token.1',
    });

    // Keys that expire within five minutes are renewed, with the token as the file holds it then.
    answer.expiresInMs = 60_000;
    const shortLived = source();
    await shortLived();
    writeFileSync(tokenFile, 'eyJ.service-account-token.2');
    await Promise.all([shortLived(), shortLived()]);
    expect(calls.map((c) => c.get('WebIdentityToken'))).toEqual([
      'eyJ.service-account-token.1',
      'eyJ.service-account-token.1',
      'eyJ.service-account-token.2',
    ]);
  });

  it('takes a refusal by STS for an auth failure, an unreachable STS for a reset, and a missing token file for a missing secret', async () => {
    answer.status = 403;
    await expect(source()()).rejects.toMatchObject({ kind: 'status', status: 403 });
    answer.status = 503;
    await expect(source()()).rejects.toMatchObject({ kind: 'status', status: 503 });
    const unreachable = awsCredentials(
      'p',
      { ...webIdentity(), stsEndpoint: 'http://127.0.0.1:9' },
      createSecretResolver({}),
    ) as () => Promise<unknown>;
    await expect(unreachable()).rejects.toEqual(new UpstreamFailure('reset'));
    expect(() => awsCredentials('p', { ...webIdentity(), webIdentityTokenFile: join(dir, 'absent') }, createSecretResolver({}))).toThrow(
      MissingSecretError,
    );
  });
});

describe('a Bedrock provider on a web identity', () => {
  let brk: MockUpstream;
  beforeAll(async () => {
    // The mock accepts only signatures made with the temporary keys, session token included.
    brk = await startMockBedrock({ credentials: TEMPORARY, region: BEDROCK_TEST_REGION });
  });
  afterAll(() => brk.close());

  it('signs its calls with the keys STS gave it', async () => {
    const provider: IRProvider = testProvider('brk', {
      type: 'bedrock',
      baseUrl: brk.baseUrl,
      aws: webIdentity(),
      timeoutMs: 1000,
      retries: 0,
      models: [testModel('amazon.nova-lite-v1:0')],
    });
    const adapter = bedrockAdapter(provider, createSecretResolver({}));
    const out = { body: { messages: [{ role: 'user', content: 'hi' }] }, stream: false, includeUsage: false, maxTokens: 10 };
    const call = await adapter.chat(out, provider.models[0]!);
    const headers = Object.fromEntries(
      Array.from({ length: call.headers.length / 2 }, (_, i) => [call.headers[2 * i]!, call.headers[2 * i + 1]!]),
    );
    expect(headers['x-amz-security-token']).toBe(TEMPORARY.sessionToken);
    const { host: _host, 'content-length': _length, ...sent } = headers;
    const res = await fetch(`${brk.origin}${call.endpoint.path}`, { method: 'POST', headers: sent, body: call.body });
    expect(res.status).toBe(200);
    expect(adapter.chatResponse(Buffer.from(await res.text()), out, provider.models[0]!).body).toContain('Hello from the mock Bedrock.');
  });
});
