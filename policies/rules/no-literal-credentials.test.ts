import { describe, expect, it } from 'vitest';
import { doc } from '../../test/support/policy-resources.ts';
import { ruleDiagnostics, ruleTester, type InvalidCase } from '../../test/support/rule-tester.ts';
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
const GOOGLE = 'AIza' + 'SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q';

const provider = (extra: string) =>
  doc(
    'Provider',
    'openai',
    `type: openai\nbaseUrl: https://api.openai.com/v1\ncredential: env:OPENAI_API_KEY\nmodels: [{name: gpt-4o-mini}]\n${extra}`,
  );
const annotated = (annotations: string) =>
  doc('Route', 'chat', 'targets: [{provider: openai, model: gpt-4o}]', `annotations: ${annotations}`);

/** What each kind of planted secret is called in the finding. */
const KIND: Record<string, string> = {
  openai: 'OpenAI API key',
  anthropic: 'Anthropic API key',
  aws: 'AWS access key id',
  gitlab: 'GitLab token',
  jwt: 'JSON Web Token',
  pem: 'private key',
};

/**
 * Each invalid case, with the secrets no finding of it may repeat. A secret used as a key is in the path the rule
 * points at (`keyInPath`), which the runner does not report: there only the diagnostic must not repeat it.
 */
const secretCases: { secrets: string[]; keyInPath?: boolean; case: InvalidCase }[] = [
  ...Object.entries(FAKE)
    .filter(([k]) => k !== 'random')
    .map(([kind, secret]) => ({
      secrets: [secret],
      case: {
        name: `a planted ${kind} in any field`,
        yaml: annotated(`{note: "key ${secret}"}`),
        errors: [
          {
            message: `A literal ${KIND[kind]} is written at \`metadata.annotations.note\`.`,
            line: 6,
            column: 23,
            path: 'metadata.annotations.note',
          },
        ],
      },
    })),
  {
    secrets: [FAKE.aws, FAKE.random, GOOGLE],
    case: {
      name: 'literal keys in the credential fields of Bedrock and Gemini providers',
      yaml:
        doc(
          'Provider',
          'bedrock',
          `type: bedrock\naws: {region: us-east-1, accessKeyId: ${FAKE.aws}, secretAccessKey: "${FAKE.random}"}\nmodels: [{name: m}]`,
        ) + doc('Provider', 'gemini', `type: gemini\ncredential: ${GOOGLE}\nmodels: [{name: m}]`),
      errors: [
        {
          message: 'A literal AWS access key id is written at `spec.aws.accessKeyId`.',
          line: 9,
          column: 41,
          path: 'spec.aws.accessKeyId',
          resource: 'Provider/bedrock',
        },
        {
          message: 'A literal high-entropy value in a credential field is written at `spec.aws.secretAccessKey`.',
          line: 9,
          column: 80,
          path: 'spec.aws.secretAccessKey',
          resource: 'Provider/bedrock',
        },
        {
          message: 'A literal Google API key is written at `spec.credential`.',
          line: 19,
          column: 15,
          path: 'spec.credential',
          resource: 'Provider/gemini',
        },
      ],
    },
  },
  {
    secrets: [FAKE.anthropic],
    case: {
      name: 'the kind of secret, in the message',
      yaml: provider(`headers: {X-Trace: ${FAKE.anthropic}}`),
      errors: [{ message: 'A literal Anthropic API key is written at `spec.headers.X-Trace`.', line: 12, column: 22 }],
    },
  },
  {
    secrets: [FAKE.random],
    case: {
      name: 'random-looking values in credential-like fields only',
      yaml: doc('Environment', 'prod', `variables: {DB_PASSWORD: "${FAKE.random}", BUILD_ID: "${FAKE.random}"}`),
      errors: [
        {
          message: 'A literal high-entropy value in a credential field is written at `spec.variables.DB_PASSWORD`.',
          line: 8,
          column: 28,
          path: 'spec.variables.DB_PASSWORD',
        },
      ],
    },
  },
  {
    secrets: [FAKE.openai],
    keyInPath: true,
    case: {
      name: 'a secret used as a key, masked in the reported path',
      yaml: annotated(`{"${FAKE.openai}": x}`),
      errors: [
        {
          message: 'A literal OpenAI API key is written as a key under `metadata.annotations`.',
          line: 6,
          column: 57,
          path: `metadata.annotations.${FAKE.openai}`,
        },
      ],
    },
  },
];

ruleTester.run(noLiteralCredentials, {
  valid: [
    {
      name: 'secret references, placeholders and public keys',
      yaml:
        provider('headers: {OpenAI-Organization: org-123}') +
        doc(
          'Gateway',
          'gw',
          'auth:\n  jwt:\n    - issuer: https://idp\n      secret: k8s:jwt/hmac\n      publicKey: "-----BEGIN PUBLIC KEY-----"',
        ) +
        doc('Consumer', 'app', 'apiKeys: [{id: ci, sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08}]'),
    },
  ],
  invalid: secretCases.map((s) => s.case),
});

describe('no-literal-credentials', () => {
  it.each(secretCases)('finds $case.name without echoing the secret', ({ secrets, keyInPath, case: c }) => {
    const found = JSON.stringify(ruleDiagnostics(noLiteralCredentials, c).map(({ path, ...d }) => (keyInPath ? d : { ...d, path })));
    for (const secret of secrets) expect(found).not.toContain(secret);
  });
});
