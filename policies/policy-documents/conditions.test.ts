import { describe, expect, it } from 'vitest';
import type { PolicyCondition } from '../../schema/types.ts';
import { compileCondition, type CompiledCondition } from './conditions.ts';

const route = {
  metadata: { name: 'chat', labels: { 'app.kubernetes.io/name': 'gw' } },
  spec: {
    timeout: '90s',
    targets: [
      { provider: 'openai', model: 'gpt-4o', weight: 80 },
      { provider: 'azure', model: 'gpt-4o', weight: 20 },
    ],
    versions: { v1: { text: 'a' }, v2: { text: 'bb' } },
  },
};

function holdsAt(path: string, operator: PolicyCondition['operator'], value?: unknown): string[] {
  const c = compileCondition({ path, operator, value } as PolicyCondition);
  if (typeof c === 'string') throw new Error(c);
  return (c as CompiledCondition).holdsAt(route).map((n) => n.path.join('.'));
}

describe('deny conditions', () => {
  it('expands [*] over lists and mappings, and reads quoted keys', () => {
    expect(holdsAt('spec.targets[*].provider', 'Equals', 'azure')).toEqual(['spec.targets.1.provider']);
    expect(holdsAt('spec.versions[*].text', 'LengthGreaterThan', 1)).toEqual(['spec.versions.v2.text']);
    expect(holdsAt('metadata.labels["app.kubernetes.io/name"]', 'In', ['gw', 'proxy'])).toEqual(['metadata.labels.app.kubernetes.io/name']);
    expect(holdsAt('spec.targets[0].weight', 'GreaterThan', 50)).toEqual(['spec.targets.0.weight']);
  });

  it('compares durations with durations', () => {
    expect(holdsAt('spec.timeout', 'GreaterThan', '1m')).toEqual(['spec.timeout']);
    expect(holdsAt('spec.timeout', 'LessThan', '1m')).toEqual([]);
  });

  it('holds for a missing value only with NotExists, pointing where the value would be', () => {
    expect(holdsAt('spec.retry.attempts', 'NotExists')).toEqual(['spec.retry']);
    expect(holdsAt('spec.retry.attempts', 'NotEquals', 3)).toEqual([]);
    expect(holdsAt('spec.retry', 'NotIn', [1])).toEqual([]);
    expect(holdsAt('spec.timeout', 'Exists')).toEqual(['spec.timeout']);
  });

  it('matches regular expressions', () => {
    expect(holdsAt('spec.targets[*].model', 'Matches', '^gpt-4')).toEqual(['spec.targets.0.model', 'spec.targets.1.model']);
  });

  it.each([
    ['spec..timeout', 'Exists', undefined, 'cannot be read at character 5'],
    ['spec.timeout', 'In', 'x', 'needs a list'],
    ['spec.timeout', 'GreaterThan', 'soon', 'needs a number or a duration'],
    ['spec.timeout', 'Equals', undefined, 'needs a `value`'],
    ['spec.timeout', 'LengthLessThan', -1, 'needs a whole number'],
    ['spec.timeout', 'Matches', '(a+)+$', 'is refused: a repeated group'],
  ])('refuses %s %s %j', (path, operator, value, reason) => {
    expect(compileCondition({ path, operator, value } as PolicyCondition)).toContain(reason);
  });
});
