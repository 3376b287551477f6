import { describe, expect, it } from 'vitest';
import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { prodRouteHasCrossProviderFallback as rule } from './prod-route-has-cross-provider-fallback.ts';

const route = (name: string, spec: string) => doc('Route', name, spec);

ruleTester.run(rule, {
  valid: [
    {
      name: 'a fallback on another provider, and embedding routes without one',
      yaml:
        route('chat', 'targets: [{provider: openai, model: gpt-4o}]\nfallbacks: [{provider: anthropic, model: claude}]') +
        route('embed', 'type: embeddings\ntargets: [{provider: openai, model: text-embedding-3-small}]'),
    },
  ],
  invalid: [
    {
      name: 'a route without fallback, and a target whose only fallback is its own provider',
      yaml:
        route('solo', 'targets: [{provider: openai, model: gpt-4o}]') +
        route(
          'split',
          'targets:\n  - {provider: openai, model: gpt-4o, weight: 50}\n  - {provider: azure, model: gpt-4o, weight: 50}\nfallbacks: [{provider: openai, model: gpt-4o-mini}]',
        ),
      errors: [
        {
          message: 'Route solo has no fallback: an outage of its provider takes it down.',
          line: 8,
          column: 12,
          resource: 'Route/solo',
          path: 'spec.targets',
        },
        {
          message: 'Route split falls back only to provider openai, the provider of this target.',
          line: 17,
          column: 18,
          resource: 'Route/split',
          path: 'spec.targets[0].provider',
        },
      ],
    },
  ],
});

describe('prod-route-has-cross-provider-fallback', () => {
  it('runs only in production', () => {
    expect(rule.tiers).toEqual(['production']);
  });
});
