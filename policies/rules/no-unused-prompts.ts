import { promptGrants } from '../indexes.ts';
import type { Rule } from '../rule.ts';

export const noUnusedPrompts: Rule = {
  id: 'no-unused-prompts',
  description: 'Every prompt is granted to someone by an access policy.',
  rationale: 'A prompt no consumer may call is dead config: it is reviewed, built and served, and answers only 403.',
  defaultSeverity: 'warning',
  reads: { on: ['Prompt'], kinds: ['AccessPolicy'] },
  referredToBy: ['AccessPolicy'],
  *check(ctx) {
    const grants = ctx.memo(promptGrants);
    if (grants.all) return;
    for (const prompt of ctx.byKind('Prompt')) {
      if (grants.names.has(prompt.name)) continue;
      yield {
        resource: prompt,
        path: ['metadata', 'name'],
        message: `Prompt ${prompt.name} is granted by no access policy, so nobody can call it.`,
        hint: "List it in an AccessPolicy's `spec.prompts`, or delete it.",
      };
    }
  },
};
