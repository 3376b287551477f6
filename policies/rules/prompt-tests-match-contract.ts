import { defaultRequestSchema } from '../../compiler/ir/prompt-contract.ts';
import type { DocPath, Resource } from '../../kernel/resource.ts';
import { type Assertion, compileAssertion } from '../policy-documents/assert-schema.ts';
import type { Finding, Rule } from '../rule.ts';

export const promptTestsMatchContract: Rule = {
  id: 'prompt-tests-match-contract',
  description:
    "An exposed prompt's schemas compile, and each of its test cases' `request` satisfies the request schema and each `response` the response schema.",
  rationale:
    "Test cases are the prompt API's documented examples (the OpenAPI document shows them): an example the contract refuses misleads every caller who copies it, and usually means the contract or the example is out of date.",
  defaultSeverity: 'error',
  reads: { kinds: [], on: ['Prompt'] },
  docs: [
    'Without `expose.request` the request schema is the default one: every declared variable, required, nothing else.',
    '',
    'A case with a `response` needs `expose.response`; test cases need `expose`. Each case has a name of its own: the',
    'OpenAPI document keys its examples by name, and an Environment patches a case by its name.',
  ].join('\n'),
  *check(ctx) {
    for (const prompt of ctx.byKind('Prompt')) {
      const { expose, tests = [], variables = { type: 'object' } } = prompt.value.spec;
      yield* repeatedNames(prompt, tests);
      if (!expose) {
        if (tests.length)
          yield {
            resource: prompt,
            path: ['spec', 'tests'],
            message: `Prompt ${prompt.name} has test cases but no endpoint of its own to check them against.`,
            hint: 'Add `expose` (path, and the request and response schemas), or remove `tests`.',
          };
        continue;
      }
      const request = schema(prompt, ['spec', 'expose', 'request'], expose.request ?? defaultRequestSchema(variables));
      const response = expose.response && schema(prompt, ['spec', 'expose', 'response'], expose.response);
      if (typeof request !== 'function') yield request;
      if (response && typeof response !== 'function') yield response;
      for (const [i, t] of tests.entries()) {
        if (typeof request === 'function')
          yield* mismatches(prompt, request, ['spec', 'tests', i, 'request'], t.request, t.name, 'request');
        if (t.response === undefined) continue;
        if (!expose.response) {
          yield {
            resource: prompt,
            path: ['spec', 'tests', i, 'response'],
            message: `Test case "${t.name}" of prompt ${prompt.name} gives a response, but the prompt declares no response schema.`,
            hint: "Add `expose.response`, or remove the case's `response`.",
          };
        } else if (typeof response === 'function') {
          yield* mismatches(prompt, response, ['spec', 'tests', i, 'response'], t.response, t.name, 'response');
        }
      }
    }
  },
};

/** A case named like an earlier one: one example hides the other, and a patch by that name reaches only the first. */
function* repeatedNames(prompt: Resource<'Prompt'>, tests: readonly { name: string }[]): Iterable<Finding> {
  const first = new Map<string, number>();
  for (const [i, { name }] of tests.entries()) {
    const earlier = first.get(name);
    if (earlier === undefined) {
      first.set(name, i);
      continue;
    }
    yield {
      resource: prompt,
      path: ['spec', 'tests', i, 'name'],
      message: `Test case ${i + 1} of prompt ${prompt.name} is named "${name}" like case ${earlier + 1}: the OpenAPI document would show one of them, and an environment patch of "${name}" would change only the first.`,
      hint: 'Give each case a name of its own.',
    };
  }
}

function schema(prompt: Resource<'Prompt'>, path: DocPath, value: object): Assertion | Finding {
  const compiled = compileAssertion(value);
  if (typeof compiled === 'function') return compiled;
  return {
    resource: prompt,
    path,
    message: `The ${path[2]} schema of prompt ${prompt.name} does not compile: ${compiled}.`,
    hint: 'Write it as JSON Schema (draft 2020-12).',
  };
}

function* mismatches(
  prompt: Resource<'Prompt'>,
  check: Assertion,
  at: DocPath,
  value: unknown,
  name: string,
  which: 'request' | 'response',
): Iterable<Finding> {
  for (const failure of check(value)) {
    yield {
      resource: prompt,
      path: [...at, ...failure.path],
      message: `Test case "${name}" of prompt ${prompt.name} does not match the ${which} schema: ${which}${failure.detail.replace(/^\(document\)/, '').replace(/^(?=\S)/, '.')}.`,
      hint: `Fix the case, or the ${which} schema if the contract changed.`,
    };
  }
}
