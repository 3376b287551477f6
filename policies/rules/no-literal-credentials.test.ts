import { describe, expect, it } from 'vitest';
import { doc, findings } from '../../test/support/policy-resources.ts';
import { noLiteralCredentials } from './no-literal-credentials.ts';

// Fake credentials assembled at run time so that this file itself holds no token-shaped literal.
const FAKE = {
  openai: 'sk-proj-' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4',
  anthropic: 'sk-ant-api03-' + 'Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2',
  aws: 'AKIA' + 'IOSFODNN7EXAMPLE',
  gitlab: 'glpat-' + 'x9Y8z7W6v5U4t3S2r1Q0',
  jwt: 'eyJhbGciOiJIUzI1NiJ9' + '.eyJzdWIiOiJhcHAtMSJ9' + '.c2lnbmF0dXJlLXNpZ25hdHVyZQ',
  pem: '-----BEGIN RSA ' + 'PRIVATE KEY-----',
  random: 'Q8v#t2LxZ9p!W4mNs7Rk',
};

const provider = (extra: string) =>
  doc('Provider', 'openai', `type: openai\nbaseUrl: https://api.openai.com/v1\ncredential: env:OPENAI_API_KEY\nmodels: [{name: gpt-4o-mini}]\n${extra}`);

describe('no-literal-credentials', () => {
  it('accepts secret references, placeholders and public keys', () => {
    const yaml =
      provider('headers: {OpenAI-Organization: org-123}') +
      doc('Gateway', 'gw', 'auth:\n  jwt:\n    - issuer: https://idp\n      secret: k8s:jwt/hmac\n      publicKey: "-----BEGIN PUBLIC KEY-----"') +
      doc('Consumer', 'app', 'apiKeys: [{id: ci, sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08}]');
    expect(findings(noLiteralCredentials, yaml)).toEqual([]);
  });

  it.each(Object.entries(FAKE).filter(([k]) => k !== 'random'))('finds a planted %s in any field, without echoing it', (_, secret) => {
    const yaml = doc('Route', 'chat', `targets: [{provider: openai, model: gpt-4o}]`, `annotations: {note: "key ${secret}"}`);
    const found = findings(noLiteralCredentials, yaml);
    expect(found).toHaveLength(1);
    expect(found[0]!.at).toBe('metadata.annotations.note');
    expect(found[0]!.line).toBe(6);
    expect(JSON.stringify(found)).not.toContain(secret);
  });

  it('finds literal keys in the credential fields of Bedrock and Gemini providers', () => {
    const google = 'AIza' + 'SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q';
    const yaml =
      doc('Provider', 'bedrock', `type: bedrock\naws: {region: us-east-1, accessKeyId: ${FAKE.aws}, secretAccessKey: "${FAKE.random}"}\nmodels: [{name: m}]`) +
      doc('Provider', 'gemini', `type: gemini\ncredential: ${google}\nmodels: [{name: m}]`);
    const found = findings(noLiteralCredentials, yaml);
    expect(found.map((f) => `${f.resource} ${f.at}: ${f.message}`)).toEqual([
      'Provider/bedrock spec.aws.accessKeyId: A literal AWS access key id is written at `spec.aws.accessKeyId`.',
      'Provider/bedrock spec.aws.secretAccessKey: A literal high-entropy value in a credential field is written at `spec.aws.secretAccessKey`.',
      'Provider/gemini spec.credential: A literal Google API key is written at `spec.credential`.',
    ]);
    for (const secret of [FAKE.aws, FAKE.random, google]) expect(JSON.stringify(found)).not.toContain(secret);
  });

  it('names the kind of secret', () => {
    const [f] = findings(noLiteralCredentials, provider(`headers: {X-Trace: ${FAKE.anthropic}}`));
    expect(f!.message).toBe('A literal Anthropic API key is written at `spec.headers.X-Trace`.');
  });

  it('finds random-looking values in credential-like fields only', () => {
    const yaml = doc('Environment', 'prod', `variables: {DB_PASSWORD: "${FAKE.random}", BUILD_ID: "${FAKE.random}"}`);
    const found = findings(noLiteralCredentials, yaml);
    expect(found.map((f) => f.at)).toEqual(['spec.variables.DB_PASSWORD']);
    expect(found[0]!.message).toContain('high-entropy value');
    expect(JSON.stringify(found)).not.toContain(FAKE.random);
  });

  it('finds a secret used as a key and masks the key in the reported path', () => {
    const yaml = doc('Route', 'chat', 'targets: [{provider: openai, model: gpt-4o}]', `annotations: {"${FAKE.openai}": x}`);
    const found = findings(noLiteralCredentials, yaml);
    expect(found).toHaveLength(1);
    expect(found[0]!.message).not.toContain(FAKE.openai);
    expect(found[0]!.line).toBe(6);
  });
});
