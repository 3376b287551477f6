import { describe, expect, it } from 'vitest';
import { runPolicyTests } from './policy-tests.ts';
import { doc, resourcesFrom } from '../test/support/policy-resources.ts';

const route =
  'apiVersion: modelgate.dev/v1\n        kind: Route\n        metadata: {name: chat}\n        spec: {targets: [{provider: a, model: m}]}';

describe('runPolicyTests', () => {
  it('explains a skip that was expected to fail, naming the environment', () => {
    const policy = doc(
      'Policy',
      'prod-only',
      `match: {kinds: [Route], environments: [prod]}\nmessage: m\ndeny: {any: [{path: kind, operator: Exists}]}\ntests:\n  - name: fails in dev\n    environment: dev\n    expect: fail\n    resource:\n        ${route}`,
    );
    const [result] = runPolicyTests(resourcesFrom(policy));
    expect(result).toMatchObject({ policy: 'prod-only', name: 'fails in dev', expected: 'fail', actual: 'skip', ok: false });
    expect(result!.details.map((d) => d.message)).toEqual([
      'expected fail, got skip',
      'the policy does not select Route/chat in environment dev (see match/exclude)',
    ]);
  });

  it('fails every case of an invalid policy, saying why', () => {
    const policy = doc(
      'Policy',
      'bad',
      `match: {}\nmessage: m\ndeny: {any: [{path: kind, operator: In, value: Route}]}\ntests:\n  - name: a\n    expect: pass\n    resource:\n        ${route}`,
    );
    const [result] = runPolicyTests(resourcesFrom(policy));
    expect(result!.ok).toBe(false);
    expect(result!.actual).toBeUndefined();
    expect(result!.details.map((d) => d.message)).toEqual([
      'the policy is invalid:',
      'Policy bad: `In` needs a list as its `value`. (hint: The policy checks nothing until this is fixed.)',
    ]);
  });

  it('refuses a test resource of a kind policies cannot select', () => {
    const policy = doc(
      'Policy',
      'p',
      `match: {}\nmessage: m\ndeny: {any: [{path: kind, operator: Exists}]}\ntests:\n  - name: a\n    expect: pass\n    resource: {kind: Policy, metadata: {name: x}}`,
    );
    expect(runPolicyTests(resourcesFrom(policy))[0]!.details[0]!.message).toContain('the test resource needs a `kind`, one of Gateway');
  });
});
