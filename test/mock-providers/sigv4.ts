// AWS Signature Version 4 as the service checks it: the signature of a received request is computed again from its
// method, path, query, the headers it lists as signed, its body and its x-amz-date, and must equal the one it carries.
import { createHash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../../gateway/providers/node-sha256.ts';
import type { RecordedRequest } from './server.ts';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** SHA-256 in the shape the Smithy signer takes as `sha256`: the gateway's own, so mock and gateway hash alike. */
export { NodeSha256 as Sha256 };

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=[^,]+, ?SignedHeaders=([a-z0-9;-]+), ?Signature=[0-9a-f]{64}$/;
const MAX_SKEW_MS = 5 * 60_000;
export const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** Why the request's SigV4 signature is refused, or undefined when it is right for these credentials and scope. */
export async function sigV4Problem(
  req: RecordedRequest,
  credentials: AwsCredentials,
  region: string,
  service: string,
): Promise<string | undefined> {
  const authorization = req.headers.authorization;
  const amzDate = req.headers['x-amz-date'];
  if (!authorization) return 'Missing Authentication Token';
  const signedList = AUTHORIZATION.exec(authorization)?.[1];
  const signingDate = typeof amzDate === 'string' ? parseAmzDate(amzDate) : undefined;
  if (!signedList || !signingDate)
    return `Authorization header requires 'Credential', 'SignedHeaders', 'Signature' and an X-Amz-Date header.`;
  if (Math.abs(Date.now() - signingDate.getTime()) > MAX_SKEW_MS)
    return `Signature expired: ${amzDate} is now earlier or later than 5 minutes from now.`;

  const signed = signedList.split(';');
  const headers: Record<string, string> = {};
  for (const name of signed) {
    const value = req.headers[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  // A signed payload hash must be the hash of the body that arrived, not just the one the client claims.
  if (headers['x-amz-content-sha256'] !== undefined)
    headers['x-amz-content-sha256'] = createHash('sha256').update(req.rawBody).digest('hex');
  const queryAt = req.path.indexOf('?');
  const path = queryAt < 0 ? req.path : req.path.slice(0, queryAt);
  const query: Record<string, string[]> = {};
  for (const [k, v] of new URLSearchParams(queryAt < 0 ? '' : req.path.slice(queryAt + 1))) (query[k] ??= []).push(v);

  const signer = new SignatureV4({ service, region, credentials, sha256: NodeSha256, applyChecksum: false });
  const expected = await signer.sign(
    { method: req.method, protocol: 'http:', hostname: String(req.headers.host ?? ''), path, query, headers, body: req.rawBody },
    { signingDate, signableHeaders: new Set(signed) },
  );
  return expected.headers.authorization === authorization ? undefined : SIGNATURE_MISMATCH;
}

/** `20240102T030405Z` */
function parseAmzDate(text: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : undefined;
}
