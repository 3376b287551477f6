import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { guardrailActionSupported } from './guardrail-action-supported.ts';

ruleTester.run(guardrailActionSupported, {
  valid: [
    {
      name: 'masks by checkers that rewrite text; other actions on any checker',
      yaml:
        doc('Guardrail', 'p', 'action: mask\ncheck: {presidio: {analyzerUrl: "https://a.example", anonymizerUrl: "https://b.example"}}') +
        doc('Guardrail', 'w', 'action: mask\ncheck: {webhook: {url: "https://hook.example"}}') +
        doc('Guardrail', 's', 'action: block\ncheck: {maxSize: {chars: 10}}'),
    },
  ],
  invalid: [
    {
      name: 'maxSize and Presidio without anonymizer cannot mask',
      yaml:
        doc('Guardrail', 'size', 'action: mask\ncheck: {maxSize: {chars: 10}}') +
        doc('Guardrail', 'pres', 'action: mask\ncheck: {presidio: {analyzerUrl: "https://a.example"}}'),
      errors: [
        { message: 'Guardrail size masks with a maxSize checker, which cannot rewrite text.', line: 8, column: 11, path: 'spec.action' },
        { message: 'Guardrail pres masks with a presidio without anonymizerUrl checker, which cannot rewrite text.', line: 17, column: 11 },
      ],
    },
  ],
});
