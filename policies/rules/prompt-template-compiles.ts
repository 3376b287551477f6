import { promptTemplates } from '../indexes.ts';
import type { Rule } from '../rule.ts';

export const promptTemplateCompiles: Rule = {
  id: 'prompt-template-compiles',
  description: 'Every prompt message is a Handlebars template the gateway can render: valid syntax, built-in helpers only, no partials.',
  rationale: 'A template that fails to render turns every call of the prompt into a 500 at runtime; the compiler can say so at review.',
  defaultSeverity: 'error',
  reads: { kinds: [], on: ['Prompt'] },
  *check(ctx) {
    for (const [prompt, templates] of ctx.memo(promptTemplates)) {
      for (const t of templates) {
        const problems = t.analysis.syntaxError ? [t.analysis.syntaxError] : t.analysis.unsupported;
        for (const p of problems) {
          yield {
            resource: prompt,
            path: t.path,
            message: `The template of prompt ${prompt.name} (version ${t.version}) cannot be rendered: ${p.message} (template line ${p.line}, column ${p.column}).`,
            hint: 'Fix the template; `{{variable}}`, `{{#if}}`, `{{#each}}`, `{{#with}}` and `{{lookup}}` are available.',
          };
        }
      }
    }
  },
};
