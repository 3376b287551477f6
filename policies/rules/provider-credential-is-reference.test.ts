import { describe, expect, it } from 'vitest';
import { doc, findings } from '../../test/support/policy-resources.ts';
import { providerCredentialIsReference } from './provider-credential-is-reference.ts';

const provider = (spec: string) => doc('Provider', 'p', `models: [{name: m}]\n${spec}`);

describe('provider-credential-is-reference', () => {
  it('accepts a hosted provider with a reference and a self-hosted one without credential', () => {
    const yaml =
      provider('type: anthropic\nbaseUrl: https://api.anthropic.com\ncredential: k8s:llm-keys/anthropic') +
      doc('Provider', 'vllm', 'type: openai-compatible\nbaseUrl: http://vllm:8000/v1\nmodels: [{name: llama}]');
    expect(findings(providerCredentialIsReference, yaml)).toEqual([]);
  });

  it('flags a hosted provider without credential at its type', () => {
    const found = findings(providerCredentialIsReference, provider('type: openai\nbaseUrl: https://api.openai.com/v1'));
    expect(found.map((f) => f.at)).toEqual(['spec.type']);
  });

  it('flags credentials in headers and in the base URL', () => {
    const yaml = provider('type: openai-compatible\nbaseUrl: https://bob:pw@llm.internal/v1\nheaders: {Authorization: env:X, X-Org: acme}');
    expect(findings(providerCredentialIsReference, yaml).map((f) => f.at)).toEqual(['spec.headers.Authorization', 'spec.baseUrl']);
  });

  it('wants a Gemini provider to have a credential, and a Bedrock provider its AWS keys as references', () => {
    expect(findings(providerCredentialIsReference, provider('type: gemini')).map((f) => f.at)).toEqual(['spec.type']);
    const bedrock = provider('type: bedrock\naws: {region: us-east-1, accessKeyId: env:AWS_KEY_ID, secretAccessKey: k8s:aws/secret, sessionToken: file:/run/aws/token}');
    expect(findings(providerCredentialIsReference, bedrock)).toEqual([]);
    const literal = 'hunter2hunter2hunter2';
    const found = findings(providerCredentialIsReference, provider(`type: bedrock\naws: {region: us-east-1, accessKeyId: env:K, secretAccessKey: ${literal}, sessionToken: ${literal}}\nheaders: {X-Amz-Security-Token: env:T}`));
    expect(found.map((f) => f.at)).toEqual(['spec.aws.secretAccessKey', 'spec.aws.sessionToken', 'spec.headers.X-Amz-Security-Token']);
    expect(found[0]!.message).toBe('The secretAccessKey of provider p is not a secret reference.');
    expect(JSON.stringify(found)).not.toContain(literal);
  });

  it('flags a credential that is not a reference without repeating it', () => {
    const [f] = findings(providerCredentialIsReference, provider('type: openai\nbaseUrl: https://x\ncredential: hunter2hunter2'));
    expect(f!.at).toBe('spec.credential');
    expect(f!.message).not.toContain('hunter2');
  });
});
