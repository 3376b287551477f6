import type { Rule } from '../rule.ts';

export const modelPricesKnown: Rule = {
  id: 'model-prices-known',
  description: 'Every provider model has an input price (and, for chat models, an output price) per million tokens.',
  rationale:
    'Usage logs and monthly budgets price tokens from these fields; a model without prices is free to the budget, so budgets do not hold.',
  defaultSeverity: 'warning',
  reads: { kinds: [], on: ['Provider'] },
  docs: 'Self-hosted models cost nothing per token: write `inputPricePer1M: 0` to say so.',
  *check(ctx) {
    for (const provider of ctx.byKind('Provider')) {
      for (const [i, model] of (provider.value.spec.models ?? []).entries()) {
        const missing = [
          model.inputPricePer1M === undefined ? 'inputPricePer1M' : undefined,
          model.outputPricePer1M === undefined && model.type !== 'embeddings' ? 'outputPricePer1M' : undefined,
        ].filter((m) => m !== undefined);
        if (missing.length === 0) continue;
        yield {
          resource: provider,
          path: ['spec', 'models', i],
          message: `Model ${model.name} of provider ${provider.name} has no ${missing.join(' or ')}: its cost counts as 0 against budgets.`,
          hint: "Copy the prices (USD per million tokens) from the provider's price list.",
        };
      }
    }
  },
};
