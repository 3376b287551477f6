import { describe, expect, it } from 'vitest';
import { READS_ITSELF } from '../../kernel/reads.ts';
import type { Rule } from '../../policies/rule.ts';
import { doc, resourcesFrom } from './policy-resources.ts';
import { expectInvalid, expectValid, ruleDiagnostics, type ExpectedError } from './rule-tester.ts';

/** Flags every route whose name starts with `x`, at its name; production and staging only. */
const noX: Rule = {
  id: 'no-x-routes',
  description: 'No route is named x-something.',
  rationale: 'For the tester.',
  defaultSeverity: 'warning',
  reads: READS_ITSELF,
  tiers: ['production', 'staging'],
  *check(ctx) {
    for (const r of ctx.byKind('Route')) {
      if (r.name.startsWith('x')) yield { resource: r, path: ['metadata', 'name'], message: `Route ${r.name} starts with x.` };
    }
  },
};

const route = (name: string) => doc('Route', name, 'targets: [{provider: a, model: m}]');
const yaml = route('chat') + route('xa') + route('xb');
const XA: ExpectedError = { message: 'Route xa starts with x.', line: 13, column: 9, path: 'metadata.name', resource: 'Route/xa' };
const XB: ExpectedError = { message: 'Route xb starts with x.', line: 21, column: 9 };

describe('ruleTester', () => {
  it('accepts exactly the expected findings, in order, with a pattern for a message', () => {
    expectInvalid(noX, {
      name: 'both',
      yaml,
      errors: [
        { ...XA, file: 'file0.yaml' },
        { ...XB, ruleId: 'no-x-routes', message: /^Route xb/ },
      ],
    });
    expectValid(noX, { name: 'none', yaml: route('chat') });
  });

  it.each<[string, ExpectedError[]]>([
    ['a missing finding', [XA]],
    ['an unexpected finding', [XA, XB, XB]],
    ['the wrong order', [XB, XA]],
    ['another message', [{ ...XA, message: 'Route xa starts with x' }, XB]],
    ['a message pattern that does not match', [{ ...XA, message: /^Route xb/ }, XB]],
    ['another line', [{ ...XA, line: 12 }, XB]],
    ['another column', [{ ...XA, column: 3 }, XB]],
    ['another path', [{ ...XA, path: 'metadata' }, XB]],
    ['another resource', [{ ...XA, resource: 'Route/xb' }, XB]],
    ['another rule id', [{ ...XA, ruleId: 'other' }, XB]],
    ['another file', [{ ...XA, file: 'file1.yaml' }, XB]],
  ])('fails on %s', (_, errors) => {
    expect(() => expectInvalid(noX, { name: 'case', yaml, errors })).toThrow();
  });

  it('fails a valid case with a finding, and an invalid case that expects none', () => {
    expect(() => expectValid(noX, { name: 'case', yaml })).toThrow();
    expect(() => expectInvalid(noX, { name: 'case', yaml: route('chat'), errors: [] })).toThrow(/belongs in valid/);
  });

  it('runs the rule in its first tier unless the case names an environment', () => {
    expect(ruleDiagnostics(noX, { name: 'default', yaml })).toHaveLength(2);
    expect(ruleDiagnostics(noX, { name: 'dev', yaml, environment: { name: 'dev', tier: 'development' } })).toEqual([]);
  });

  it('takes loaded resources instead of YAML, but not both or neither', () => {
    expectInvalid(noX, { name: 'resources', resources: resourcesFrom(route('xa')), errors: [{ ...XA, line: 5 }] });
    expect(() => ruleDiagnostics(noX, { name: 'both', yaml, resources: [] })).toThrow(/either yaml or resources/);
    expect(() => ruleDiagnostics(noX, { name: 'neither' })).toThrow(/either yaml or resources/);
  });
});
