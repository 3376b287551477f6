import { describe, expect, it } from 'vitest';
import { testIR, testPolicy } from '../test/support/ir-fixture.ts';
import { limitCeiling, policiesGranting } from './limits.ts';

describe('policiesGranting', () => {
  const ir = testIR({
    accessPolicies: [
      testPolicy('a', { routes: ['chat', 'embed'], consumers: ['x'] }),
      testPolicy('every', { routes: ['*'], consumers: ['x', 'y'] }),
      testPolicy('b', { routes: ['chat'], consumers: ['y'] }),
      testPolicy('none', { routes: [], consumers: ['x'] }),
    ],
  });
  const granting = policiesGranting(ir);
  const names = (routes: string[]) => granting(routes).map((p) => p.name);

  it("gives the policies naming a route and those granting `*`, once each, in the IR's order", () => {
    expect(names(['chat'])).toEqual(['a', 'every', 'b']);
    expect(names(['embed', 'chat'])).toEqual(['a', 'every', 'b']);
    expect(names(['embed'])).toEqual(['a', 'every']);
    expect(names(['unknown'])).toEqual(['every']);
    expect(names([])).toEqual(['every']);
  });

  it('sums the ceilings of exactly the policies granting the routes', () => {
    const limited = testIR({
      accessPolicies: ir.accessPolicies.map((p, i) => ({ ...p, limits: { ...p.limits, requestsPerMinute: 10 * (i + 1) } })),
    });
    const subjects = (p: { subjects: { consumers: readonly string[] } }) => p.subjects.consumers;
    // a: 10 × 1 consumer, every: 20 × 2, b: 30 × 1
    expect(limitCeiling(policiesGranting(limited)(['chat']), 'requestsPerMinute', subjects)).toBe(80);
    expect(limitCeiling(policiesGranting(limited)(['embed']), 'requestsPerMinute', subjects)).toBe(50);
  });
});
