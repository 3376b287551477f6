import { promptTemplates } from '../indexes.ts';
import { unusedDeclarations } from '../prompt-variables.ts';
import type { Rule } from '../rule.ts';

export const promptVariablesUsed: Rule = {
  id: 'prompt-variables-used',
  description: "Every variable declared in a prompt's `variables` schema is used by one of its templates.",
  rationale: 'A declared but unused variable makes callers send (and validate) data that never reaches the model: usually a renamed field.',
  defaultSeverity: 'warning',
  reads: { kinds: [], on: ['Prompt'] },
  *check(ctx) {
    for (const [prompt, templates] of ctx.memo(promptTemplates)) {
      if (templates.some((t) => t.analysis.syntaxError)) continue; // what a broken template uses is unknown
      const uses = templates.flatMap((t) => t.analysis.uses);
      for (const unused of unusedDeclarations(prompt.value.spec.variables, uses)) {
        yield {
          resource: prompt,
          path: unused.path,
          message: `Prompt ${prompt.name} declares \`${unused.name}\`, which no version's template uses.`,
          hint: 'Use it in a template or remove it from `spec.variables`.',
        };
      }
    }
  },
};
