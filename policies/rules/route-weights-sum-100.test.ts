import { describe, expect, it } from 'vitest';
import { doc, findings } from '../../test/support/policy-resources.ts';
import { routeWeightsSum100 } from './route-weights-sum-100.ts';

const route = (targets: string) => doc('Route', 'chat', `targets:\n${targets}`);

describe('route-weights-sum-100', () => {
  it('accepts no weights, or weights summing to 100', () => {
    expect(findings(routeWeightsSum100, route('  - {provider: a, model: m}\n  - {provider: b, model: m}'))).toEqual([]);
    expect(findings(routeWeightsSum100, route('  - {provider: a, model: m, weight: 70}\n  - {provider: b, model: m, weight: 30}'))).toEqual([]);
  });

  it('flags a sum other than 100 at the list', () => {
    const found = findings(routeWeightsSum100, route('  - {provider: a, model: m, weight: 70}\n  - {provider: b, model: m, weight: 20}'));
    expect(found.map((f) => [f.at, f.message])).toEqual([['spec.targets', "The weights of route chat's targets sum to 90, not 100."]]);
  });

  it('flags the entry without weight when others have one', () => {
    const found = findings(routeWeightsSum100, route('  - {provider: a, model: m, weight: 100}\n  - {provider: b, model: m}'));
    expect(found.map((f) => [f.at, f.line])).toEqual([['spec.targets[1]', 10]]);
  });
});
