import type { Rule } from '../rule.ts';

export const lowestCostTargetsPriced: Rule = {
  id: 'lowest-cost-targets-priced',
  description: 'Every target of a `lowest-cost` route is a model with an input and (unless it embeds) an output price.',
  rationale:
    'A `lowest-cost` route orders its targets by the sum of their input and output prices; a model without them cannot be ranked, and the gateway would try it last whatever it costs.',
  defaultSeverity: 'error',
  reads: { on: ['Route'], kinds: ['Provider'] },
  docs: 'A self-hosted model costs nothing per token: write `inputPricePer1M: 0` and `outputPricePer1M: 0` to say so.',
  *check(ctx) {
    const providers = new Map(ctx.byKind('Provider').map((p) => [p.name, p.value.spec]));
    for (const route of ctx.byKind('Route')) {
      if (route.value.spec.strategy !== 'lowest-cost') continue;
      for (const [i, target] of route.value.spec.targets.entries()) {
        const model = providers.get(target.provider)?.models.find((m) => m.name === target.model);
        if (!model) continue; // an unknown target is the reference check's finding
        const prices = model.type === 'embeddings' ? (['inputPricePer1M'] as const) : (['inputPricePer1M', 'outputPricePer1M'] as const);
        const missing = prices.filter((price) => model[price] === undefined);
        if (missing.length === 0) continue;
        yield {
          resource: route,
          path: ['spec', 'targets', i],
          message: `Route ${route.name} is lowest-cost, but model ${target.model} of provider ${target.provider} has no ${missing.join(' or ')}.`,
          hint: `Set the model's prices on Provider ${target.provider} (USD per million tokens), or choose another strategy.`,
        };
      }
    }
  },
};
