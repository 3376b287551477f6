import { describe, expect, it } from 'vitest';
import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { noWildcardGrantInProd } from './no-wildcard-grant-in-prod.ts';

ruleTester.run(noWildcardGrantInProd, {
  valid: [
    { name: 'grants by name', yaml: doc('AccessPolicy', 'apps', 'subjects: {consumers: [app]}\nroutes: [chat]\nprompts: [summary]') },
  ],
  invalid: [
    {
      name: 'each `*` at its list entry',
      yaml: doc('AccessPolicy', 'apps', 'subjects: {consumers: [app]}\nroutes: [chat, "*"]\nprompts: ["*"]'),
      errors: [
        { message: 'Access policy apps grants every route (`*`) in production.', line: 9, column: 18, path: 'spec.routes[1]' },
        { message: 'Access policy apps grants every prompt (`*`) in production.', line: 10, column: 13, path: 'spec.prompts[0]' },
      ],
    },
  ],
});

describe('no-wildcard-grant-in-prod', () => {
  it('runs only in production', () => {
    expect(noWildcardGrantInProd.tiers).toEqual(['production']);
  });
});
