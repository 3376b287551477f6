import { doc, resourcesFrom } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { promptExposePathFree } from './prompt-expose-path-free.ts';

/** An exposed prompt; `expose.path` is on line 9, column 9 of its file. */
const prompt = (name: string, path: string) =>
  doc(
    'Prompt',
    name,
    `route: chat\nexpose:\n  path: ${path}\nversions: {v1: {messages: [{role: user, content: hi}]}}\nserve: [{version: v1}]`,
  );
const at = (file: string, message: string) => ({ message, file, line: 10, column: 11, path: 'spec.expose.path' });

ruleTester.run(promptExposePathFree, {
  valid: [
    {
      name: 'paths of their own, under /v1/ too, and a metrics path moved away',
      resources: resourcesFrom(
        prompt('reviewer', '/ai-code-reviewer'),
        prompt('explainer', '/v1/apps/explain'),
        prompt('metrics', '/metrics'),
        doc('Gateway', 'gw', 'metrics: {path: /internal/metrics}'),
      ),
    },
  ],
  invalid: [
    {
      name: "the gateway's own paths, exact and under a family",
      resources: resourcesFrom(
        prompt('a', '/v1/chat/completions'),
        prompt('b', '/v1/models/gpt'),
        prompt('c', '/metrics'),
        prompt('d', '/openapi.json'),
        prompt('e', '/mcp/github'),
      ),
      errors: [
        at('file0.yaml', 'Prompt a is exposed at /v1/chat/completions, which the gateway serves itself (/v1/chat/completions).'),
        at('file1.yaml', 'Prompt b is exposed at /v1/models/gpt, which the gateway serves itself (/v1/models/{id}).'),
        at('file2.yaml', 'Prompt c is exposed at /metrics, which the gateway serves itself (/metrics).'),
        at('file3.yaml', 'Prompt d is exposed at /openapi.json, which the gateway serves itself (/openapi.json).'),
        at('file4.yaml', 'Prompt e is exposed at /mcp/github, which the gateway serves itself (/mcp/{server}).'),
      ],
    },
    {
      name: 'two prompts on one path, at both, each naming the other',
      resources: resourcesFrom(prompt('a', '/review'), prompt('b', '/review')),
      errors: [
        at('file0.yaml', 'Prompt a is exposed at /review, as is prompt b (file1.yaml:10).'),
        at('file1.yaml', 'Prompt b is exposed at /review, as is prompt a (file0.yaml:10).'),
      ],
    },
  ],
});
