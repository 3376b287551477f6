import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { prodAccessPolicyHasPiiGuardrail } from './prod-access-policy-has-pii-guardrail.ts';

const base =
  doc('Guardrail', 'pii', 'check: {pii: {detectors: [email]}}') +
  doc('Guardrail', 'topics', 'check: {deniedTopics: {words: [x]}}') +
  doc('Route', 'guarded', 'targets: [{provider: p, model: m}]\nguardrails: [pii]') +
  doc('Route', 'open', 'targets: [{provider: p, model: m}]');

ruleTester.run(prodAccessPolicyHasPiiGuardrail, {
  valid: [
    {
      name: 'a PII guardrail on the policy, on every granted route, or redaction.pii; a policy granting no route',
      yaml:
        base +
        doc('AccessPolicy', 'own', 'subjects: {}\nroutes: [open]\nguardrails: [pii]') +
        doc('AccessPolicy', 'routes', 'subjects: {}\nroutes: [guarded]') +
        doc('AccessPolicy', 'redacts', 'subjects: {}\nroutes: ["*"]\nredaction: {pii: [email]}') +
        doc('AccessPolicy', 'mcp-only', 'subjects: {}'),
    },
  ],
  invalid: [
    {
      name: 'only a topics guardrail, and a granted route without a guard',
      yaml: base + doc('AccessPolicy', 'team', 'subjects: {}\nroutes: [guarded, open]\nguardrails: [topics]'),
      errors: [
        {
          message: 'Access policy team sends prompts to providers in production without a personal-data guardrail.',
          line: 43,
          column: 15,
          path: 'spec.guardrails',
        },
      ],
    },
  ],
});
