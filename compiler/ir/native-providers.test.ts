// What the IR makes of `bedrock` and `gemini` providers: default endpoints, and AWS credentials as references.
import { describe, expect, it } from 'vitest';
import { doc, resourcesFrom } from '../../test/support/policy-resources.ts';
import { buildIR } from './build.ts';

const providers = (...docs: string[]) => buildIR(resourcesFrom(docs.join('')), { name: 'dev', tier: 'development' }).providers;

describe('IR of native providers', () => {
  it('gives bedrock its regional endpoint and key pair references', () => {
    const [p] = providers(
      doc(
        'Provider',
        'aws',
        'type: bedrock\naws: {region: eu-west-1, accessKeyId: env:AWS_ACCESS_KEY_ID, secretAccessKey: k8s:aws/secret}\nmodels: [{name: m}]',
      ),
    );
    expect(p).toMatchObject({
      type: 'bedrock',
      baseUrl: 'https://bedrock-runtime.eu-west-1.amazonaws.com',
      credential: null,
      aws: {
        region: 'eu-west-1',
        accessKeyId: { ref: 'env:AWS_ACCESS_KEY_ID', source: 'env', name: 'AWS_ACCESS_KEY_ID' },
        secretAccessKey: { ref: 'k8s:aws/secret', source: 'k8s', name: 'aws', key: 'secret' },
      },
    });
  });

  it('gives a web identity the regional STS endpoint unless one is set, and gemini its public endpoint', () => {
    const roleArn = 'arn:aws:iam::123456789012:role/modelgate';
    const [aws, gemini] = providers(
      doc(
        'Provider',
        'aws',
        `type: bedrock\naws: {region: us-east-2, webIdentityTokenFile: /var/run/token, roleArn: "${roleArn}"}\nmodels: [{name: m}]`,
      ),
      doc('Provider', 'gem', 'type: gemini\ncredential: env:GEMINI_API_KEY\nmodels: [{name: gemini-2.5-flash}]'),
    );
    expect(aws!.aws).toEqual({
      region: 'us-east-2',
      webIdentityTokenFile: '/var/run/token',
      roleArn,
      stsEndpoint: 'https://sts.us-east-2.amazonaws.com',
    });
    expect(gemini).toMatchObject({
      baseUrl: 'https://generativelanguage.googleapis.com/v1beta',
      credential: { ref: 'env:GEMINI_API_KEY' },
    });
    expect(gemini).not.toHaveProperty('aws');
  });
});
