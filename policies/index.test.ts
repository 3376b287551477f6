import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../kernel/diagnostics.ts';
import { loadSources } from '../compiler/load/load-project.ts';
import type { EnvironmentInfo } from '../compiler/environments/apply.ts';
import { BUILTIN_RULES, runPolicies, type RulesConfig } from './index.ts';
import { doc } from '../test/support/policy-resources.ts';

const PROD: EnvironmentInfo = { name: 'prod', tier: 'production' };
const SECRET = `sk-ant-api03-${'R'.repeat(24)}`;

const base =
  doc(
    'Provider',
    'openai',
    'type: openai\nbaseUrl: https://api.openai.com/v1\ncredential: env:OPENAI_API_KEY\ntimeout: 30s\nmodels: [{name: gpt-4o, inputPricePer1M: 2.5, outputPricePer1M: 10}]',
  ) +
  doc('Route', 'legacy-chat', 'targets: [{provider: openai, model: gpt-4o}]\ntimeout: 60s') +
  doc('Environment', 'prod', 'tier: production') +
  doc('Environment', 'dev', 'tier: development');

function run(yaml: string, options: { config?: RulesConfig; today?: string; env?: EnvironmentInfo } = {}): Diagnostic[] {
  const { resources, diagnostics } = loadSources([{ path: 'repo.yaml', text: yaml }]);
  expect(diagnostics).toEqual([]);
  return runPolicies({ environment: options.env ?? PROD, resources, config: options.config, today: options.today ?? '2026-06-01' });
}

const ids = (ds: Diagnostic[]) => ds.map((d) => `${d.ruleId}${d.suppressed ? ' (suppressed)' : ''}`);

const exception = (spec: string) => doc('PolicyException', 'legacy', `owner: platform-team\nreason: migrating\n${spec}`);

describe('runPolicies', () => {
  it('has at least 15 built-in rules with unique kebab-case ids', () => {
    expect(BUILTIN_RULES.length).toBeGreaterThanOrEqual(15);
    expect(new Set(BUILTIN_RULES.map((r) => r.id)).size).toBe(BUILTIN_RULES.length);
    for (const r of BUILTIN_RULES) expect(r.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('runs tier-gated rules only in their tier', () => {
    expect(ids(run(base))).toEqual(['prod-route-has-cross-provider-fallback']);
    expect(ids(run(base, { env: { name: 'dev', tier: 'development' } }))).toEqual([]);
  });

  it('marks waived findings suppressed and keeps them in the list', () => {
    const found = run(
      base + exception('rule: prod-route-has-cross-provider-fallback\nresources: ["Route/legacy-*"]\nexpires: "2027-06-30"'),
    );
    expect(ids(found)).toEqual(['prod-route-has-cross-provider-fallback (suppressed)']);
    expect(found[0]!.suppressed).toEqual({ exception: 'PolicyException/legacy', owner: 'platform-team', reason: 'migrating' });
  });

  it('reports an expired exception at its expiry date, and lets the finding count again', () => {
    const found = run(base + exception('rule: prod-route-has-cross-provider-fallback\nresources: ["Route/*"]\nexpires: "2026-05-31"'));
    expect(ids(found).sort()).toEqual(['exception-expired', 'prod-route-has-cross-provider-fallback']);
    const expired = found.find((d) => d.ruleId === 'exception-expired')!;
    expect(expired).toMatchObject({ severity: 'error', resource: 'PolicyException/legacy' });
    expect(expired.message).toContain('expired on 2026-05-31');
  });

  it('holds an exception through its last day', () => {
    const found = run(base + exception('rule: prod-route-has-cross-provider-fallback\nresources: ["Route/*"]\nexpires: "2026-06-01"'));
    expect(ids(found)).toEqual(['prod-route-has-cross-provider-fallback (suppressed)']);
  });

  it('warns about an exception that waives nothing, unless it is scoped to other environments', () => {
    const unused = exception('rule: required-labels\nresources: ["Route/*"]\nexpires: "2027-01-01"');
    expect(ids(run(base + unused))).toContain('exception-unused');
    const elsewhere = exception('rule: required-labels\nresources: ["Route/*"]\nenvironments: [dev]\nexpires: "2027-01-01"');
    expect(ids(run(base + elsewhere))).not.toContain('exception-unused');
  });

  it('does not call an exception unused while a resource it covers is left out for its own errors', () => {
    const waiver = exception('rule: prod-route-has-cross-provider-fallback\nresources: ["Route/legacy-*"]\nexpires: "2027-01-01"');
    const { resources } = loadSources([{ path: 'repo.yaml', text: base + waiver }]);
    const broken = resources.filter((r) => r.kind === 'Route');
    const input = { environment: PROD, resources: resources.filter((r) => r.kind !== 'Route'), today: '2026-06-01' };
    expect(ids(runPolicies(input))).toContain('exception-unused');
    expect(ids(runPolicies({ ...input, unchecked: broken }))).not.toContain('exception-unused');
    // Left-out resources it does not cover change nothing, however many.
    const others = resources.filter((r) => r.kind !== 'Route' && r.kind !== 'PolicyException');
    expect(others.length).toBeGreaterThan(1);
    expect(ids(runPolicies({ ...input, unchecked: others }))).toContain('exception-unused');
  });

  it('does not call a provider unused while the only route naming it is left out for its own errors', () => {
    const { resources } = loadSources([{ path: 'repo.yaml', text: base }]);
    const [route] = resources.filter((r) => r.kind === 'Route');
    const input = { environment: PROD, resources: resources.filter((r) => r !== route), today: '2026-06-01' };
    expect(ids(runPolicies(input))).toContain('no-unused-providers');
    expect(ids(runPolicies({ ...input, unchecked: [route!] }))).not.toContain('no-unused-providers');
    // A left-out resource of a kind that cannot refer to providers, or one naming another provider, changes nothing.
    const env = resources.find((r) => r.kind === 'Environment')!;
    expect(ids(runPolicies({ ...input, unchecked: [env] }))).toContain('no-unused-providers');
    const elsewhere = loadSources([{ path: 'r.yaml', text: doc('Route', 'other', 'targets: [{provider: azure, model: m}]') }]).resources;
    expect(ids(runPolicies({ ...input, unchecked: elsewhere }))).toContain('no-unused-providers');
  });

  it('refuses an exception naming an unknown rule, with a suggestion', () => {
    const found = run(base + exception('rule: prod-route-has-cross-provider-fallbak\nresources: ["Route/*"]\nexpires: "2027-01-01"'));
    const unknown = found.find((d) => d.ruleId === 'exception-unknown-rule')!;
    expect(unknown.severity).toBe('error');
    expect(unknown.message).toContain('Did you mean "prod-route-has-cross-provider-fallback"?');
  });

  it('applies config severities, then environment overrides, then the Environment document', () => {
    const at = { file: 'modelgate.config.yaml', line: 1, column: 1, endLine: 1, endColumn: 1 };
    const config: RulesConfig = {
      settings: [
        { rule: 'prod-route-has-cross-provider-fallback', level: 'off', location: at },
        { rule: 'prod-route-has-cross-provider-fallback', level: 'info', environment: 'prod', location: at },
      ],
    };
    expect(run(base, { config }).map((d) => d.severity)).toEqual(['info']);
    const envDoc = base.replace('tier: production', 'tier: production\n  rules: {prod-route-has-cross-provider-fallback: warning}');
    expect(run(envDoc, { config }).map((d) => d.severity)).toEqual(['warning']);
  });

  it('warns about severities for unknown rules', () => {
    const yaml = base.replace('tier: development', 'tier: development\n  rules: {no-unused-provider: off}');
    const found = run(yaml).find((d) => d.ruleId === 'rules-config')!;
    expect(found.message).toContain('Did you mean "no-unused-providers"?');
    expect(found.resource).toBe('Environment/dev');
  });

  it('runs Policy documents with their own severity, configurable by name', () => {
    const policy = doc(
      'Policy',
      'route-timeout-max',
      'match: {kinds: [Route]}\nmessage: "{{resource.metadata.name}} is too slow"\nseverity: warning\ndeny: {any: [{path: spec.timeout, operator: GreaterThan, value: 30s}]}',
    );
    const found = run(base + policy, { env: { name: 'dev', tier: 'development' } });
    expect(found.map((d) => [d.ruleId, d.severity, d.message])).toEqual([['route-timeout-max', 'warning', 'legacy-chat is too slow']]);
    const config: RulesConfig = {
      settings: [{ rule: 'route-timeout-max', level: 'off', location: { file: 'c', line: 1, column: 1, endLine: 1, endColumn: 1 } }],
    };
    expect(run(base + policy, { env: { name: 'dev', tier: 'development' }, config })).toEqual([]);
  });

  it('renders a message that names a missing field without it, and says so once at the Policy', () => {
    const policy = doc(
      'Policy',
      'cost-center',
      'match: {kinds: [Route]}\nmessage: "{{resource.metadata.name}} ({{resource.metadata.labels.costCenter}}) needs a cost center"\ndeny: {any: [{path: metadata.labels.costCenter, operator: NotExists}]}',
    );
    const found = run(base + policy, { env: { name: 'dev', tier: 'development' } });
    expect(found.map((d) => [d.ruleId, d.severity, d.message.replace(/ \(.*\);.*/, '')])).toEqual([
      ['cost-center', 'error', 'legacy-chat () needs a cost center'],
      ['policy-invalid', 'warning', 'The message of policy cost-center refers to a value some resource lacks'],
    ]);
  });

  it('refuses a Policy that takes the id of a built-in rule', () => {
    const policy = doc('Policy', 'required-labels', 'match: {}\nmessage: m\ndeny: {any: [{path: kind, operator: Exists}]}');
    const found = run(base + policy, { env: { name: 'dev', tier: 'development' } });
    expect(ids(found)).toEqual(['policy-invalid']);
  });

  it('never puts a planted credential into any diagnostic', () => {
    const planted = base
      .replace('timeout: 60s', `timeout: 60s\n  cache: {enabled: true}`)
      .replace('owner: ana', `owner: ana, note: "${SECRET}"`);
    const policy = doc(
      'Policy',
      'echo',
      'match: {kinds: [Route]}\nmessage: "labels {{resource.metadata.labels.note}}"\ndeny: {any: [{path: spec.cache.enabled, operator: Equals, value: true}]}',
    );
    const found = run(planted + policy);
    expect(ids(found)).toContain('no-literal-credentials');
    expect(JSON.stringify(found)).not.toContain(SECRET);
  });
});
