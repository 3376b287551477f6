import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { prodGuardrailFailsClosed } from './prod-guardrail-fails-closed.ts';

ruleTester.run(prodGuardrailFailsClosed, {
  valid: [
    {
      name: 'deny (the default) on a remote checker; allow on a built-in one, which cannot fail',
      yaml:
        doc('Guardrail', 'w', 'check: {webhook: {url: "https://hook.example"}}') +
        doc('Guardrail', 's', 'onError: allow\ncheck: {secrets: {}}'),
    },
  ],
  invalid: [
    {
      name: 'allow on a webhook, at onError',
      yaml: doc('Guardrail', 'w', 'onError: allow\ncheck: {webhook: {url: "https://hook.example"}}'),
      errors: [{ message: 'Guardrail w lets requests through unchecked when its checker fails (onError: allow).', line: 8, column: 12 }],
    },
  ],
});
