import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { secretReferencesDistinct } from './secret-references-distinct.ts';

const provider = (name: string, credential: string) => doc('Provider', name, `type: openai\ncredential: ${credential}`);

ruleTester.run(secretReferencesDistinct, {
  valid: [
    { name: 'different secrets', yaml: provider('a', 'k8s:llm-keys/openai') + provider('b', 'k8s:llm-keys/anthropic') },
    { name: 'the same reference used twice', yaml: provider('a', 'env:OPENAI_API_KEY') + provider('b', 'env:OPENAI_API_KEY') },
    {
      name: 'file references of different names',
      yaml: provider('a', 'file:/run/secrets/a-b/c') + provider('b', 'file:/run/secrets/a/b-d'),
    },
    { name: 'a description that mentions a reference is not one', yaml: doc('Route', 'r', 'description: uses k8s:a/b-c') },
  ],
  invalid: [
    {
      name: 'two Kubernetes Secrets whose names differ only by - and /',
      yaml: provider('a', 'k8s:a-b/c') + provider('b', 'k8s:a/b-c'),
      errors: [
        {
          message: 'Secret reference k8s:a/b-c reaches the gateway as variable MODELGATE_SECRET_A_B_C, like k8s:a-b/c in Provider/a.',
          line: 18,
          column: 15,
          path: 'spec.credential',
        },
      ],
    },
    {
      name: 'a Kubernetes Secret and an environment variable of that name, in another kind',
      yaml: provider('a', 'k8s:keys/x') + doc('Gateway', 'gw', 'mcp: {sessionKey: env:MODELGATE_SECRET_KEYS_X}'),
      errors: [
        {
          message:
            'Secret reference env:MODELGATE_SECRET_KEYS_X reaches the gateway as variable MODELGATE_SECRET_KEYS_X, like k8s:keys/x in Provider/a.',
          line: 17,
          column: 21,
          path: 'spec.mcp.sessionKey',
        },
      ],
    },
    {
      name: 'two environment variables whose names differ only by case read the same key of modelgate-credentials',
      yaml: provider('a', 'env:OPENAI_KEY') + provider('b', 'env:openai_key'),
      errors: [
        {
          message: 'Secret reference env:openai_key reaches the gateway as Secret key openai_key, like env:OPENAI_KEY in Provider/a.',
          line: 18,
          column: 15,
          path: 'spec.credential',
        },
      ],
    },
    {
      name: 'file references with the same file name in two folders read the same key',
      yaml: provider('a', 'file:/run/secrets/a/key') + provider('b', 'file:/run/secrets/b/key'),
      errors: [
        {
          message:
            'Secret reference file:/run/secrets/b/key reaches the gateway as Secret key key, like file:/run/secrets/a/key in Provider/a.',
          line: 18,
          column: 15,
          path: 'spec.credential',
        },
      ],
    },
  ],
});
