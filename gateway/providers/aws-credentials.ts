// Where a `bedrock` provider's AWS credentials come from: a key pair resolved when the config loads, or, for a web
// identity (a Kubernetes service account token, say), temporary keys from AWS STS's AssumeRoleWithWebIdentity,
// which is called unsigned (the token is the proof) and renewed before the keys expire.
import type { IRAws, SecretRef } from '../../compiler/ir/types.ts';
import type { SecretResolver } from '../secrets.ts';
import { UpstreamFailure } from './upstream-errors.ts';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** Fixed keys, or a function the signer calls before each signature. */
export type AwsCredentialSource = AwsCredentials | (() => Promise<AwsCredentials>);

/** Temporary keys are renewed this long before they expire, so that none expires between signing and arrival. */
const RENEW_BEFORE_MS = 5 * 60_000;
const STS_TIMEOUT_MS = 10_000;

export function awsCredentials(provider: string, aws: IRAws, secrets: SecretResolver): AwsCredentialSource {
  if ('accessKeyId' in aws) {
    return {
      accessKeyId: secrets(aws.accessKeyId),
      secretAccessKey: secrets(aws.secretAccessKey),
      ...(aws.sessionToken ? { sessionToken: secrets(aws.sessionToken) } : {}),
    };
  }
  const tokenFile: SecretRef = { ref: `file:${aws.webIdentityTokenFile}`, source: 'file', name: aws.webIdentityTokenFile };
  // Read now so that a missing token stops the load as a missing secret does; read again at each renewal, since
  // the kubelet rotates it.
  secrets(tokenFile);
  const sessionName = `modelgate-${provider}`.slice(0, 64);
  let current: AwsCredentials | undefined;
  let renewing: Promise<AwsCredentials> | undefined;
  return () => {
    if (current && current.expiration!.getTime() - Date.now() > RENEW_BEFORE_MS) return Promise.resolve(current);
    renewing ??= assumeRoleWithWebIdentity(aws.stsEndpoint, aws.roleArn, sessionName, () => secrets(tokenFile))
      .then((c) => (current = c))
      .finally(() => (renewing = undefined));
    return renewing;
  };
}

/**
 * One STS exchange. Failures are the provider's: STS refusing the token or role is an auth failure (403, not
 * retried), STS unavailable a 503 or a reset (retried). Nothing of the token or the STS answer goes into them.
 */
async function assumeRoleWithWebIdentity(
  endpoint: string,
  roleArn: string,
  sessionName: string,
  token: () => string,
): Promise<AwsCredentials> {
  let body: URLSearchParams;
  try {
    body = new URLSearchParams({
      Action: 'AssumeRoleWithWebIdentity',
      Version: '2011-06-15',
      RoleArn: roleArn,
      RoleSessionName: sessionName,
      WebIdentityToken: token(),
    });
  } catch {
    throw new UpstreamFailure('status', 403); // the token file went away since the config loaded
  }
  let xml: string;
  try {
    const res = await fetch(`${endpoint}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body,
      signal: AbortSignal.timeout(STS_TIMEOUT_MS),
    });
    xml = await res.text();
    if (!res.ok) throw new UpstreamFailure('status', res.status >= 500 ? 503 : 403);
  } catch (err) {
    throw err instanceof UpstreamFailure ? err : new UpstreamFailure('reset');
  }
  const field = (name: string) => new RegExp(`<${name}>([^<]+)</${name}>`).exec(xml)?.[1];
  const [accessKeyId, secretAccessKey, sessionToken, expiration] = ['AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration'].map(
    field,
  );
  const expires = new Date(expiration ?? NaN);
  if (!accessKeyId || !secretAccessKey || !sessionToken || Number.isNaN(expires.getTime())) throw new UpstreamFailure('status', 502);
  return { accessKeyId, secretAccessKey, sessionToken, expiration: expires };
}
