import type { Rule } from '../rule.ts';

export const prodRouteHasCrossProviderFallback: Rule = {
  id: 'prod-route-has-cross-provider-fallback',
  description: 'In production, every chat route can fall back to a provider other than the one each target uses.',
  rationale:
    'Provider outages and 429 storms hit a whole provider at once: a fallback on the same provider fails with it. ' +
    "Embedding routes are exempt, since another provider's vectors do not match the stored ones.",
  defaultSeverity: 'error',
  reads: { kinds: [], on: ['Route'] },
  tiers: ['production'],
  *check(ctx) {
    for (const route of ctx.byKind('Route')) {
      const spec = route.value.spec;
      if (spec.type === 'embeddings') continue;
      const fallbacks = spec.fallbacks ?? [];
      if (fallbacks.length === 0) {
        yield {
          resource: route,
          path: ['spec', 'targets'],
          message: `Route ${route.name} has no fallback: an outage of its provider takes it down.`,
          hint: 'Add `spec.fallbacks` with a model on another provider.',
        };
        continue;
      }
      const fallbackProviders = new Set(fallbacks.map((f) => f.provider));
      for (const [i, target] of (spec.targets ?? []).entries()) {
        if ([...fallbackProviders].some((p) => p !== target.provider)) continue;
        yield {
          resource: route,
          path: ['spec', 'targets', i, 'provider'],
          message: `Route ${route.name} falls back only to provider ${target.provider}, the provider of this target.`,
          hint: `Add a fallback on a provider other than ${target.provider}.`,
        };
      }
    }
  },
};
