// The Provider schema's per-type rules: which fields `bedrock` and `gemini` need, and which they refuse.
import { describe, expect, it } from 'vitest';
import { doc, resourcesFrom } from '../../test/support/policy-resources.ts';
import { createSchemaValidator } from './schema-validator.ts';

const validate = createSchemaValidator();
const problems = (spec: string) =>
  resourcesFrom(doc('Provider', 'p', `${spec}\nmodels: [{name: m}]`))
    .flatMap(validate)
    .map((d) => `${d.message}${d.hint ? ` (${d.hint})` : ''}`);

const KEYS = 'accessKeyId: env:AWS_ACCESS_KEY_ID\n  secretAccessKey: env:AWS_SECRET_ACCESS_KEY';
const WEB_IDENTITY =
  'webIdentityTokenFile: /var/run/secrets/eks.amazonaws.com/serviceaccount/token\n  roleArn: arn:aws:iam::123456789012:role/modelgate';

describe('Provider schema for native providers', () => {
  it('accepts bedrock with a key pair or a web identity, and gemini, without a baseUrl', () => {
    expect(problems(`type: bedrock\naws:\n  region: eu-west-1\n  ${KEYS}\n  sessionToken: k8s:aws/session`)).toEqual([]);
    expect(
      problems(`type: bedrock\naws:\n  region: us-east-1\n  ${WEB_IDENTITY}\n  stsEndpoint: https://sts.us-east-1.amazonaws.com`),
    ).toEqual([]);
    expect(problems('type: gemini\ncredential: env:GEMINI_API_KEY')).toEqual([]);
    expect(problems('type: gemini\nbaseUrl: http://127.0.0.1:9/v1beta\ncredential: env:GEMINI_API_KEY')).toEqual([]);
  });

  it('still wants a baseUrl for the other types', () => {
    expect(problems('type: openai\ncredential: env:K')).toEqual([
      '`spec` is missing the required property `baseUrl`. (Add `baseUrl` to `spec`.)',
    ]);
  });

  it('wants aws on bedrock, and aws nowhere else', () => {
    expect(problems('type: bedrock')).toEqual(['`spec` is missing the required property `aws`. (Add `aws` to `spec`.)']);
    expect(problems(`type: bedrock\ncredential: env:K\naws:\n  region: us-east-1\n  ${KEYS}`)).toEqual([
      '`spec.credential` is not allowed here. (Expected: A `bedrock` provider signs its requests with `aws`, not an API key.)',
    ]);
    expect(problems(`type: gemini\ncredential: env:K\naws:\n  region: us-east-1\n  ${KEYS}`)).toEqual([
      '`spec.aws` is not allowed here. (Expected: `aws` is for `type: bedrock` only.)',
    ]);
  });

  it('wants exactly one way to get AWS credentials', () => {
    expect(problems('type: bedrock\naws: {region: us-east-1}')).toEqual([
      '`spec.aws` is missing the required property `accessKeyId`. (Add `accessKeyId` to `spec.aws`.)',
      '`spec.aws` is missing the required property `secretAccessKey`. (Add `secretAccessKey` to `spec.aws`.)',
    ]);
    expect(problems(`type: bedrock\naws:\n  region: us-east-1\n  ${KEYS}\n  ${WEB_IDENTITY}`)).toEqual([
      '`spec.aws.accessKeyId` is not allowed here. (Expected: Either an access key pair or `webIdentityTokenFile` with `roleArn`, not both.)',
      '`spec.aws.secretAccessKey` is not allowed here. (Expected: Either an access key pair or `webIdentityTokenFile` with `roleArn`, not both.)',
    ]);
    expect(problems(`type: bedrock\naws:\n  region: us-east-1\n  ${KEYS}\n  stsEndpoint: https://sts.example`)).toEqual([
      '`spec.aws.stsEndpoint` is not allowed here. (Expected: The web identity settings go with `roleArn`.)',
    ]);
  });

  it('takes AWS secrets only as references, never echoing a value', () => {
    const literal = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const found = problems(`type: bedrock\naws:\n  region: us-east-1\n  accessKeyId: env:A\n  secretAccessKey: "${literal}"`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^`spec\.aws\.secretAccessKey` does not have the expected form\./);
    expect(found.join()).not.toContain(literal);
  });
});
