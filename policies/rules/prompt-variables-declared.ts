import { promptTemplates } from '../indexes.ts';
import { undeclaredPrefix } from '../prompt-variables.ts';
import type { Rule } from '../rule.ts';

export const promptVariablesDeclared: Rule = {
  id: 'prompt-variables-declared',
  description: "Every variable a prompt template uses is declared in the prompt's `variables` schema.",
  rationale:
    'Callers are validated against the schema; a template variable missing from it is never checked, so a typo or a ' +
    'forgotten field renders as an empty string and silently degrades the prompt.',
  defaultSeverity: 'error',
  reads: { kinds: [], on: ['Prompt'] },
  *check(ctx) {
    for (const [prompt, templates] of ctx.memo(promptTemplates)) {
      const variables = prompt.value.spec.variables;
      for (const t of templates) {
        const reported = new Set<string>();
        for (const use of t.analysis.uses) {
          const missing = undeclaredPrefix(use.path, variables);
          const name = missing?.join('.');
          if (name === undefined || reported.has(name)) continue;
          reported.add(name);
          yield {
            resource: prompt,
            path: t.path,
            message: `Prompt ${prompt.name} (version ${t.version}) uses \`${name}\`, which its variables schema does not declare (template line ${use.line}, column ${use.column}).`,
            hint: `Declare \`${name}\` under \`spec.variables.properties\`, or fix the name in the template.`,
          };
        }
      }
    }
  },
};
