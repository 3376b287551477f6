import { describe, expect, it } from 'vitest';
import { doc, findings } from '../../test/support/policy-resources.ts';
import { deprecatedModel } from './deprecated-model.ts';

const provider = doc('Provider', 'openai', 'type: openai\nbaseUrl: https://x\nmodels: [{name: gpt-4o}, {name: gpt-4-old, deprecated: true}, {name: gpt-3.5-turbo-0613}]');

describe('deprecated-model', () => {
  it('accepts current models, and dangling references (the resolver reports those)', () => {
    expect(findings(deprecatedModel, provider + doc('Route', 'chat', 'targets: [{provider: openai, model: gpt-4o}, {provider: ghost, model: x}]'))).toEqual([]);
  });

  it('flags models marked deprecated and vendor-retired ones, at the model field', () => {
    const route = doc('Route', 'chat', 'targets: [{provider: openai, model: gpt-4-old}]\nfallbacks: [{provider: openai, model: gpt-3.5-turbo-0613}]');
    expect(findings(deprecatedModel, provider + route).map((f) => [f.at, f.message])).toEqual([
      ['spec.targets[0].model', 'Route chat uses openai/gpt-4-old, which is marked deprecated.'],
      ['spec.fallbacks[0].model', 'Route chat uses openai/gpt-3.5-turbo-0613, which has been retired by its vendor.'],
    ]);
  });
});
