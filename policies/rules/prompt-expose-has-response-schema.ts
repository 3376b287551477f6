import type { Rule } from '../rule.ts';

export const promptExposeHasResponseSchema: Rule = {
  id: 'prompt-expose-has-response-schema',
  description: 'In production, a prompt with its own endpoint (`expose`) declares the JSON Schema of its answer (`expose.response`).',
  rationale:
    'A prompt API without a response schema answers free text in a chat completion: its callers parse prose, and nothing tells them, or the gateway, when a new prompt version changes what comes back. With a schema the gateway asks for structured output, checks every answer and the plan flags breaking changes.',
  defaultSeverity: 'warning',
  reads: { kinds: [], on: ['Prompt'] },
  tiers: ['production'],
  *check(ctx) {
    for (const prompt of ctx.byKind('Prompt')) {
      const expose = prompt.value.spec.expose;
      if (!expose || expose.response) continue;
      yield {
        resource: prompt,
        path: ['spec', 'expose'],
        message: `Prompt ${prompt.name} is exposed at ${expose.path} without a response schema.`,
        hint: 'Add `expose.response`, the JSON Schema (an object) of what the prompt answers, e.g. `{type: object, required: [summary], properties: {summary: {type: string}}}`.',
      };
    }
  },
};
