import { describe, expect, it } from 'vitest';
import { doc } from '../../test/support/policy-resources.ts';
import { ruleDiagnostics, ruleTester, type InvalidCase } from '../../test/support/rule-tester.ts';
import { providerCredentialIsReference } from './provider-credential-is-reference.ts';

const provider = (spec: string) => doc('Provider', 'p', `models: [{name: m}]\n${spec}`);

const LITERAL = 'hunter2hunter2hunter2';
/** Each case whose finding must not repeat the literal it reports, with that literal. */
const literalCases: { literal: string; case: InvalidCase }[] = [
  {
    literal: LITERAL,
    case: {
      name: 'Bedrock AWS keys that are not references, and an AWS token in the headers',
      yaml: provider(
        `type: bedrock\naws: {region: us-east-1, accessKeyId: env:K, secretAccessKey: ${LITERAL}, sessionToken: ${LITERAL}}\nheaders: {X-Amz-Security-Token: env:T}`,
      ),
      errors: [
        { message: 'The secretAccessKey of provider p is not a secret reference.', line: 10, column: 65, path: 'spec.aws.secretAccessKey' },
        { message: 'The sessionToken of provider p is not a secret reference.', line: 10, column: 102, path: 'spec.aws.sessionToken' },
        {
          message: 'Provider p sets the credential header `X-Amz-Security-Token` in plain config.',
          line: 11,
          column: 35,
          path: 'spec.headers.X-Amz-Security-Token',
        },
      ],
    },
  },
  {
    literal: 'hunter2',
    case: {
      name: 'a credential that is not a reference',
      yaml: provider('type: openai\nbaseUrl: https://x\ncredential: hunter2hunter2'),
      errors: [{ message: 'The credential of provider p is not a secret reference.', line: 11, column: 15, path: 'spec.credential' }],
    },
  },
];

ruleTester.run(providerCredentialIsReference, {
  valid: [
    {
      name: 'a hosted provider with a reference and a self-hosted one without credential',
      yaml:
        provider('type: anthropic\nbaseUrl: https://api.anthropic.com\ncredential: k8s:llm-keys/anthropic') +
        doc('Provider', 'vllm', 'type: openai-compatible\nbaseUrl: http://vllm:8000/v1\nmodels: [{name: llama}]'),
    },
    {
      name: 'a Bedrock provider with its AWS keys as references',
      yaml: provider(
        'type: bedrock\naws: {region: us-east-1, accessKeyId: env:AWS_KEY_ID, secretAccessKey: k8s:aws/secret, sessionToken: file:/run/aws/token}',
      ),
    },
  ],
  invalid: [
    {
      name: 'a hosted provider without credential, at its type',
      yaml: provider('type: openai\nbaseUrl: https://api.openai.com/v1'),
      errors: [
        {
          message: 'Provider p (type openai) has no credential; its API refuses calls without one.',
          line: 9,
          column: 9,
          path: 'spec.type',
        },
      ],
    },
    {
      name: 'credentials in headers and in the base URL',
      yaml: provider('type: openai-compatible\nbaseUrl: https://bob:pw@llm.internal/v1\nheaders: {Authorization: env:X, X-Org: acme}'),
      errors: [
        {
          message: 'Provider p sets the credential header `Authorization` in plain config.',
          line: 11,
          column: 28,
          path: 'spec.headers.Authorization',
        },
        { message: 'The baseUrl of provider p carries a user name or password.', line: 10, column: 12, path: 'spec.baseUrl' },
      ],
    },
    {
      name: "credentials in remote guardrails' URLs and in the OTLP endpoint's query",
      yaml: [
        doc('Guardrail', 'hook', 'check: {webhook: {url: "https://svc:pw@guard.internal/check", credential: env:HOOK}}'),
        doc('Guardrail', 'mod', 'check: {moderation: {url: "https://mod.internal/v1/moderations?api_key=k"}}'),
        doc('Guardrail', 'pii', 'check: {presidio: {analyzerUrl: "https://presidio.internal/analyze?token=t"}}'),
        doc('Gateway', 'gw', 'telemetry: {otlp: {endpoint: "https://otel.example/v1/traces?api-key=k"}}'),
      ].join(''),
      errors: [
        {
          message: 'The webhook url of guardrail hook carries a user name or password.',
          line: 8,
          column: 26,
          path: 'spec.check.webhook.url',
        },
        {
          message: 'The moderation url of guardrail mod carries a credential in its query (`api_key`).',
          line: 16,
          column: 29,
          path: 'spec.check.moderation.url',
        },
        {
          message: 'The presidio analyzerUrl of guardrail pii carries a credential in its query (`token`).',
          line: 24,
          column: 35,
          path: 'spec.check.presidio.analyzerUrl',
        },
        {
          message: 'The OTLP endpoint of gateway gw carries a credential in its query (`api-key`).',
          line: 32,
          column: 32,
          path: 'spec.telemetry.otlp.endpoint',
        },
      ],
    },
    {
      name: 'a Gemini provider without credential, at its type',
      yaml: provider('type: gemini'),
      errors: [
        {
          message: 'Provider p (type gemini) has no credential; its API refuses calls without one.',
          line: 9,
          column: 9,
          path: 'spec.type',
        },
      ],
    },
    {
      name: "credentials in remote guardrails' URLs: a password, an anonymizer's query",
      yaml:
        doc('Guardrail', 'mod', 'check: {moderation: {url: "https://bob:pw@moderation.example/v1/moderations"}}') +
        doc(
          'Guardrail',
          'pres',
          'check: {presidio: {analyzerUrl: "https://presidio.example", anonymizerUrl: "https://anon.example?token=t0k3n"}}',
        ) +
        doc('Guardrail', 'hook', 'check: {webhook: {url: "https://hook.example/check?api_key=k3y"}}'),
      errors: [
        {
          message: 'The moderation url of guardrail mod carries a user name or password.',
          line: 8,
          column: 29,
          path: 'spec.check.moderation.url',
          resource: 'Guardrail/mod',
        },
        {
          message: 'The presidio anonymizerUrl of guardrail pres carries a credential in its query (`token`).',
          line: 16,
          column: 78,
          path: 'spec.check.presidio.anonymizerUrl',
          resource: 'Guardrail/pres',
        },
        {
          message: 'The webhook url of guardrail hook carries a credential in its query (`api_key`).',
          line: 24,
          column: 26,
          path: 'spec.check.webhook.url',
          resource: 'Guardrail/hook',
        },
      ],
    },
    ...literalCases.map((l) => l.case),
  ],
});

describe('provider-credential-is-reference', () => {
  it.each(literalCases)('flags $case.name without repeating it', ({ literal, case: c }) => {
    expect(JSON.stringify(ruleDiagnostics(providerCredentialIsReference, c))).not.toContain(literal);
  });
});
