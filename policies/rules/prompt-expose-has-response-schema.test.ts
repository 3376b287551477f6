import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { promptExposeHasResponseSchema } from './prompt-expose-has-response-schema.ts';

const prompt = (expose: string) =>
  doc('Prompt', 'reviewer', `route: chat\n${expose}versions: {v1: {messages: [{role: user, content: hi}]}}\nserve: [{version: v1}]`);

ruleTester.run(promptExposeHasResponseSchema, {
  valid: [
    { name: 'a prompt without an endpoint of its own', yaml: prompt('') },
    { name: 'an exposed prompt with a response schema', yaml: prompt('expose: {path: /review, response: {type: object}}\n') },
  ],
  invalid: [
    {
      name: 'an exposed prompt answering free text',
      yaml: prompt('expose: {path: /review}\n'),
      errors: [{ message: 'Prompt reviewer is exposed at /review without a response schema.', line: 9, column: 11, path: 'spec.expose' }],
    },
  ],
});
