import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { promptServeWeightsSum100 } from './prompt-serve-weights-sum-100.ts';

const prompt = (serve: string) =>
  doc(
    'Prompt',
    'summary',
    `route: chat\nversions:\n  v1: {messages: [{role: user, content: hi}]}\n  v2: {messages: [{role: user, content: hello}]}\nserve: ${serve}`,
  );

ruleTester.run(promptServeWeightsSum100, {
  valid: [
    { name: 'a single version', yaml: prompt('[{version: v1}]') },
    { name: 'an A/B split summing to 100', yaml: prompt('[{version: v1, weight: 90}, {version: v2, weight: 10}]') },
  ],
  invalid: [
    {
      name: 'a split that does not sum to 100',
      yaml: prompt('[{version: v1, weight: 90}, {version: v2, weight: 20}]'),
      errors: [
        { message: "The weights of prompt summary's served versions sum to 110, not 100.", line: 12, column: 10, path: 'spec.serve' },
      ],
    },
  ],
});
