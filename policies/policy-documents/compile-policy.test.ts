import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../kernel/diagnostics.ts';
import type { AnyResource, Resource } from '../../kernel/resource.ts';
import { doc, resourcesFrom } from '../../test/support/policy-resources.ts';
import { compilePolicy } from './compile-policy.ts';
import { checkResource } from './evaluate.ts';

function load(policySpec: string, ...others: string[]): { policy: Resource<'Policy'>; targets: AnyResource[] } {
  const resources = resourcesFrom(doc('Policy', 'p', policySpec) + others.join(''));
  return { policy: resources[0] as Resource<'Policy'>, targets: resources.slice(1) };
}

function verdicts(policySpec: string, env: string | undefined, ...others: string[]): (Diagnostic[] | 'skip')[] {
  const { policy, targets } = load(policySpec, ...others);
  const { policy: compiled, diagnostics } = compilePolicy(policy);
  if (!compiled) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return targets.map((t) => checkResource(compiled, t, env)?.diagnostics ?? 'skip');
}

const route = (name: string, spec: string, labels = '{owner: ana, team: search}') =>
  doc('Route', name, `targets: [{provider: openai, model: gpt-4o}]\n${spec}`, `labels: ${labels}`);

describe('Policy documents', () => {
  it('asserts a JSON Schema and points at the failing node', () => {
    const spec = `match: {kinds: [Route]}
message: "Route {{resource.metadata.name}} in {{environment}} must set a timeout of at most 60s"
assert:
  schema:
    properties:
      spec:
        required: [timeout]
        properties: {timeout: {pattern: "^([1-5]?[0-9]s|60s)$"}}`;
    const targets = [route('a', ''), route('b', 'timeout: 90s'), route('c', 'timeout: 30s')];
    const [missing, tooLong, ok] = verdicts(spec, 'prod', ...targets);
    expect(missing).toMatchObject([
      {
        ruleId: 'p',
        severity: 'error',
        resource: 'Route/a',
        message: 'Route a in prod must set a timeout of at most 60s',
        hint: "Fails `spec must have required property 'timeout'`.",
      },
    ]);
    const b = load(spec, ...targets).targets[1]!;
    expect((tooLong as Diagnostic[])[0]).toMatchObject({ ...b.locate(['spec', 'timeout']), resource: 'Route/b' });
    expect(b.locate(['spec', 'timeout']).line).toBeGreaterThan(b.locate(['spec']).line);
    expect(ok).toEqual([]);
  });

  it('denies on conditions: `any` reports where each holds, `all` where the last holds', () => {
    const anySpec = `match: {kinds: [Route]}\nmessage: no azure\nseverity: warning\ndeny:\n  any:\n    - {path: "spec.targets[*].provider", operator: Equals, value: azure}\n    - {path: spec.cache.enabled, operator: Equals, value: true}`;
    const a = route('a', 'cache: {enabled: true}\nfallbacks: [{provider: azure, model: m}]');
    const [hit] = verdicts(anySpec, undefined, a);
    const at = load(anySpec, a).targets[0]!.locate(['spec', 'cache', 'enabled']);
    expect((hit as Diagnostic[]).map((d) => [d.severity, d.line, d.column])).toEqual([['warning', at.line, at.column]]);
    const allSpec = `match: {}\nmessage: m\ndeny:\n  all:\n    - {path: kind, operator: Equals, value: Route}\n    - {path: spec.retry, operator: NotExists}`;
    const [both, notRoute] = verdicts(allSpec, undefined, route('a', ''), doc('Consumer', 'c', 'apiKeys: []'));
    const spec = load(allSpec, route('a', '')).targets[0]!.locate(['spec']);
    expect((both as Diagnostic[]).map((d) => d.line)).toEqual([spec.line]);
    expect(notRoute).toEqual([]);
  });

  it('selects by kind, name glob, labels and environment, minus `exclude`', () => {
    const spec = `match: {kinds: [Route], names: ["chat-*"], labels: {team: search}, environments: [prod]}
exclude: {names: [chat-legacy]}
message: m
deny: {any: [{path: kind, operator: Exists}]}`;
    const targets = [route('chat-a', ''), route('chat-legacy', ''), route('chat-b', '', '{team: billing}'), route('other', '')];
    expect(verdicts(spec, 'prod', ...targets).map((v) => (v === 'skip' ? v : v.length))).toEqual([1, 'skip', 'skip', 'skip']);
    expect(verdicts(spec, 'dev', ...targets).every((v) => v === 'skip')).toBe(true);
    expect(verdicts(spec, undefined, ...targets).every((v) => v === 'skip')).toBe(true);
  });

  it('redacts credentials a message quotes from the resource', () => {
    const secret = `sk-${'q'.repeat(30)}`;
    const spec = `match: {kinds: [Route]}\nmessage: "bad note {{resource.metadata.annotations.note}}"\ndeny: {any: [{path: metadata.annotations.note, operator: Exists}]}`;
    const [found] = verdicts(spec, undefined, doc('Route', 'r', 'targets: []', `annotations: {note: ${secret}}`));
    expect((found as Diagnostic[])[0]!.message).toBe('bad note [REDACTED OpenAI API key]');
  });

  it('refuses malformed policies with a diagnostic at the faulty node', () => {
    const cases: [string, string, string][] = [
      ['match: {}\nmessage: "{{#if}}"\ndeny: {any: [{path: kind, operator: Exists}]}', 'spec.message', 'message template does not compile'],
      [
        'match: {}\nmessage: m\ndeny: {any: [{path: kind, operator: Exists}, {path: kind, operator: Matches, value: "(x+)+y"}]}',
        'spec.deny.any[1]',
        'pattern is refused',
      ],
      ['match: {}\nmessage: m\nassert: {schema: {properties: {kind: {pattern: "(a|a)*b"}}}}', 'spec.assert.schema', 'is refused'],
      ['match: {}\nmessage: m\nassert: {schema: {propertees: {}}}', 'spec.assert.schema', 'unknown keyword'],
      [
        'match: {}\nmessage: m\nassert: {schema: {type: objct, $defs: {a: {$anchor: 1a}}}}',
        'spec.assert.schema',
        'schema is invalid: data/$defs/a/$anchor must match pattern "^[A-Za-z_][-A-Za-z0-9._]*$", data/type must be equal to one of the allowed values, data/type must be array, data/type must match a schema in anyOf',
      ],
    ];
    for (const [spec, _at, reason] of cases) {
      const { policy } = load(spec);
      const { policy: compiled, diagnostics } = compilePolicy(policy);
      expect(compiled).toBeUndefined();
      expect(diagnostics).toHaveLength(1);
      expect(diagnostics[0]).toMatchObject({ ruleId: 'policy-invalid', severity: 'error', resource: 'Policy/p' });
      expect(diagnostics[0]!.message).toContain(reason);
    }
  });
});
