import { describe, expect, it } from 'vitest';
import { doc, findings } from '../../test/support/policy-resources.ts';
import { prodRouteHasCrossProviderFallback as rule } from './prod-route-has-cross-provider-fallback.ts';

const route = (name: string, spec: string) => doc('Route', name, spec);

describe('prod-route-has-cross-provider-fallback', () => {
  it('accepts a fallback on another provider, and embedding routes without one', () => {
    const yaml =
      route('chat', 'targets: [{provider: openai, model: gpt-4o}]\nfallbacks: [{provider: anthropic, model: claude}]') +
      route('embed', 'type: embeddings\ntargets: [{provider: openai, model: text-embedding-3-small}]');
    expect(findings(rule, yaml, 'production')).toEqual([]);
  });

  it('flags a route without fallback, and a target whose only fallback is its own provider', () => {
    const yaml =
      route('solo', 'targets: [{provider: openai, model: gpt-4o}]') +
      route('split', 'targets:\n  - {provider: openai, model: gpt-4o, weight: 50}\n  - {provider: azure, model: gpt-4o, weight: 50}\nfallbacks: [{provider: openai, model: gpt-4o-mini}]');
    const found = findings(rule, yaml, 'production');
    expect(found.map((f) => `${f.resource} ${f.at}`)).toEqual(['Route/solo spec.targets', 'Route/split spec.targets[0].provider']);
  });

  it('runs only in production', () => {
    expect(rule.tiers).toEqual(['production']);
  });
});
