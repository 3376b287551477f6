// AWS Bedrock's Converse API behind the OpenAI chat format: requests translated and SigV4-signed (service
// `bedrock`, the provider's region), answers and ConverseStream frames translated back.
import { SignatureV4 } from '@smithy/signature-v4';
import type { IRModel, IRProvider } from '../../compiler/ir/types.ts';
import type { SecretResolver } from '../secrets.ts';
import { endpoint, jsonCall, type Endpoint, type OutgoingChat, type ProviderAdapter, type UpstreamCall } from './adapter.ts';
import { jsonTool } from './anthropic-translate.ts';
import { awsCredentials } from './aws-credentials.ts';
import { ConverseStream } from './bedrock-stream.ts';
import { toChatCompletion, toConverseRequest } from './bedrock-translate.ts';
import { NodeSha256 } from './node-sha256.ts';
import { translatedAnswer } from './openai-chat.ts';
import { UpstreamFailure } from './upstream-errors.ts';

export function bedrockAdapter(provider: IRProvider, secrets: SecretResolver): ProviderAdapter {
  const aws = provider.aws!;
  const signer = new SignatureV4({
    service: 'bedrock',
    region: aws.region,
    credentials: awsCredentials(provider.name, aws, secrets),
    sha256: NodeSha256,
  });
  const fixed = { ...provider.headers, 'content-type': 'application/json' };
  const url = (model: IRModel, operation: string) => endpoint(`${provider.baseUrl}/model/${encodeURIComponent(model.name)}/${operation}`);
  const endpoints = new Map(provider.models.map((m) => [m.name, { converse: url(m, 'converse'), stream: url(m, 'converse-stream') }]));

  /** Signs the whole request, body included (its SHA-256 is part of the signature), at the moment it is sent. */
  async function signed(target: Endpoint, body: string): Promise<UpstreamCall> {
    const request = {
      method: 'POST',
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      path: target.path,
      query: {},
      headers: { ...fixed, host: target.host },
      body,
    };
    const { headers } = await signer.sign(request);
    return jsonCall(target, Object.entries(headers).flat(), body);
  }

  return {
    chat(req: OutgoingChat, model: IRModel) {
      const e = endpoints.get(model.name)!;
      return signed(req.stream ? e.stream : e.converse, JSON.stringify(toConverseRequest(req)));
    },
    chatResponse: (body, req, model) =>
      translatedAnswer(toChatCompletion(JSON.parse(body.toString('utf8')), model.name, jsonTool(req.body)?.name)),
    chatStream: (includeUsage, _req, model, chunks) => new ConverseStream(includeUsage, model.name, chunks),
    failure: bedrockFailure,
  };
}

/** Bedrock's errors are `{"message": ...}` (the exception's name is in a header): restated as `{error: {message}}`. */
function bedrockFailure(f: UpstreamFailure): UpstreamFailure {
  if (f.kind !== 'status') return f;
  let message: unknown;
  try {
    const body = JSON.parse(f.body);
    message = body?.message ?? body?.Message;
  } catch {
    return f;
  }
  return typeof message === 'string' ? new UpstreamFailure('status', f.status, JSON.stringify({ error: { message } }), f.retryAfter) : f;
}
