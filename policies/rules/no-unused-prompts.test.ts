import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { noUnusedPrompts } from './no-unused-prompts.ts';

const prompt = (name: string) =>
  doc('Prompt', name, 'route: chat\nversions: {v1: {messages: [{role: user, content: hi}]}}\nserve: [{version: v1}]');
const access = (prompts: string) => doc('AccessPolicy', 'apps', `subjects: {consumers: [app]}\nprompts: ${prompts}`);

ruleTester.run(noUnusedPrompts, {
  valid: [
    { name: 'a prompt granted by name', yaml: prompt('a') + access('[a]') },
    { name: 'prompts granted by `*`', yaml: prompt('a') + prompt('b') + access('["*"]') },
  ],
  invalid: [
    {
      name: 'a prompt nobody may call',
      yaml: prompt('a') + prompt('b') + access('[a]'),
      errors: [{ message: 'Prompt b is granted by no access policy, so nobody can call it.', line: 15, column: 9, resource: 'Prompt/b' }],
    },
  ],
});
