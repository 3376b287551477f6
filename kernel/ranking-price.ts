// The price a `lowest-cost` route ranks its targets by, the same in the gateway and in the targets.

interface PricedModel {
  type: string;
  inputPricePer1M: number | null;
  outputPricePer1M: number | null;
}

/**
 * USD per million input plus output tokens (an embedding model has no output); Infinity when a price is missing,
 * so that such a model comes last (the rule lowest-cost-targets-priced refuses it on a `lowest-cost` route).
 */
export function rankingPrice(m: PricedModel): number {
  return (m.inputPricePer1M ?? Infinity) + (m.outputPricePer1M ?? (m.type === 'embeddings' ? 0 : Infinity));
}
