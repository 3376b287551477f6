import { describe, expect, it } from 'vitest';
import { planEnvironment } from './plan.ts';
import { renderEnvironmentText } from './render-text.ts';
import type { PlanResource } from './resource-diff.ts';

const route = (spec: object): PlanResource => ({
  id: 'Route/chat-premium',
  kind: 'Route',
  name: 'chat-premium',
  file: 'routes/chat-premium.yaml',
  value: {
    apiVersion: 'modelgate.dev/v1',
    kind: 'Route',
    metadata: { name: 'chat-premium' },
    spec: { targets: [{ provider: 'anthropic', model: 'claude-sonnet-4-5' }], ...spec },
  },
});
const fields = (before: object, after: object) =>
  renderEnvironmentText(planEnvironment('prod', 'main', { resources: [route(before)] }, { resources: [route(after)] }))
    .split('\n')
    .filter((l) => l.startsWith('      '));

describe('plan of route aliases', () => {
  it('shows new aliases as a field added to the route', () => {
    expect(fields({}, { aliases: ['claude-sonnet-*', 'claude-opus-4-1'] })).toEqual([
      '      + spec.aliases: ["claude-sonnet-*","claude-opus-4-1"]',
    ]);
  });

  it('shows a changed list as the aliases that went in and out, and a new order as such', () => {
    expect(fields({ aliases: ['claude-sonnet-*', 'gpt-4o'] }, { aliases: ['claude-sonnet-*', 'claude-opus-*'] })).toEqual([
      '      ~ spec.aliases: +"claude-opus-*" -"gpt-4o"',
    ]);
    expect(fields({ aliases: ['a', 'b'] }, { aliases: ['b', 'a'] })).toEqual(['      ~ spec.aliases: ["a","b"] → ["b","a"]']);
    expect(fields({ aliases: ['gpt-4o'] }, {})).toEqual(['      - spec.aliases: ["gpt-4o"]']);
  });
});
