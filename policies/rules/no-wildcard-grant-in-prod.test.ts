import { describe, expect, it } from 'vitest';
import { doc, findings } from '../../test/support/policy-resources.ts';
import { noWildcardGrantInProd } from './no-wildcard-grant-in-prod.ts';

describe('no-wildcard-grant-in-prod', () => {
  it('accepts grants by name', () => {
    const yaml = doc('AccessPolicy', 'apps', 'subjects: {consumers: [app]}\nroutes: [chat]\nprompts: [summary]');
    expect(findings(noWildcardGrantInProd, yaml, 'production')).toEqual([]);
  });

  it('flags each `*` at its list entry', () => {
    const yaml = doc('AccessPolicy', 'apps', 'subjects: {consumers: [app]}\nroutes: [chat, "*"]\nprompts: ["*"]');
    expect(findings(noWildcardGrantInProd, yaml, 'production').map((f) => f.at)).toEqual(['spec.routes[1]', 'spec.prompts[0]']);
    expect(noWildcardGrantInProd.tiers).toEqual(['production']);
  });
});
