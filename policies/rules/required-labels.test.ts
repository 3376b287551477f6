import { describe, expect, it } from 'vitest';
import { doc, findings } from '../../test/support/policy-resources.ts';
import { requiredLabels } from './required-labels.ts';

const route = (metadata: string) => doc('Route', 'chat', 'targets: [{provider: a, model: m}]', metadata);

describe('required-labels', () => {
  it('accepts owner and team labels, and does not ask them of Environments', () => {
    expect(findings(requiredLabels, route('labels: {owner: ana, team: platform}') + doc('Environment', 'dev', 'tier: development', ''))).toEqual([]);
  });

  it('flags missing labels at `metadata.labels`, or at `metadata` when there are none', () => {
    expect(findings(requiredLabels, route('labels: {owner: ana}')).map((f) => [f.at, f.message])).toEqual([
      ['metadata.labels', 'Route/chat has no `team` label.'],
    ]);
    expect(findings(requiredLabels, route('description: chat')).map((f) => f.at)).toEqual(['metadata']);
  });
});
