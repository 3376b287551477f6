import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { prodGuardrailHttps } from './prod-guardrail-https.ts';

ruleTester.run(prodGuardrailHttps, {
  valid: [
    {
      name: 'HTTPS services, and a Presidio sidecar on loopback',
      yaml:
        doc('Guardrail', 'w', 'check: {webhook: {url: "https://hook.example"}}') +
        doc('Guardrail', 'p', 'check: {presidio: {analyzerUrl: "http://127.0.0.1:5002", anonymizerUrl: "http://localhost:5001"}}'),
    },
  ],
  invalid: [
    {
      name: 'plain HTTP to a moderation service and an anonymizer, at each URL',
      yaml:
        doc('Guardrail', 'mod', 'check:\n  moderation: {url: "http://moderation.internal/v1/moderations"}') +
        doc('Guardrail', 'pres', 'check:\n  presidio: {analyzerUrl: "https://a.example", anonymizerUrl: "http://anon.internal"}'),
      errors: [
        {
          message: 'Guardrail mod sends texts over plain HTTP in production (url).',
          line: 9,
          column: 23,
          path: 'spec.check.moderation.url',
        },
        { message: 'Guardrail pres sends texts over plain HTTP in production (anonymizerUrl).', line: 18, column: 65 },
      ],
    },
  ],
});
