import type { Rule } from '../rule.ts';
import { weightFindings } from '../weights.ts';

export const promptServeWeightsSum100: Rule = {
  id: 'prompt-serve-weights-sum-100',
  description: "A prompt's served versions (A/B split) have weights all omitted or all set and summing to 100.",
  rationale: 'A rollout whose weights do not add up serves an unintended share of callers the new prompt version.',
  defaultSeverity: 'error',
  reads: { kinds: [], on: ['Prompt'] },
  *check(ctx) {
    for (const prompt of ctx.byKind('Prompt')) {
      yield* weightFindings(prompt, prompt.value.spec.serve, ['spec', 'serve'], `prompt ${prompt.name}'s served versions`);
    }
  },
};
