import { describe, expect, it } from 'vitest';
import { doc, findings } from '../../test/support/policy-resources.ts';
import { noUnusedProviders } from './no-unused-providers.ts';

const provider = (name: string) => doc('Provider', name, 'type: openai-compatible\nbaseUrl: http://x\nmodels: [{name: m}]');

describe('no-unused-providers', () => {
  it('accepts providers used as target or as fallback', () => {
    const yaml = provider('a') + provider('b') + doc('Route', 'chat', 'targets: [{provider: a, model: m}]\nfallbacks: [{provider: b, model: m}]');
    expect(findings(noUnusedProviders, yaml)).toEqual([]);
  });

  it('flags a provider no route uses, at its name', () => {
    const yaml = provider('a') + provider('old') + doc('Route', 'chat', 'targets: [{provider: a, model: m}, {provider: ghost, model: m}]');
    expect(findings(noUnusedProviders, yaml).map((f) => [f.resource, f.at])).toEqual([['Provider/old', 'metadata.name']]);
  });
});
