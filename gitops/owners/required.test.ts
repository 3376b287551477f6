import { describe, expect, it } from 'vitest';
import { requiredApprovals, waivers } from './required.ts';
import type { PlanResource } from '../plan/resource-diff.ts';

const resource = (
  kind: PlanResource['kind'],
  name: string,
  labels: Record<string, string>,
  spec: Record<string, unknown> = {},
): PlanResource => ({
  id: `${kind}/${name}`,
  kind,
  name,
  file: `${kind.toLowerCase()}s/${name}.yaml`,
  value: { apiVersion: 'modelgate.dev/v1', kind, metadata: { name, labels }, spec } as never,
});

const platform = { team: 'platform', owner: 'dana.kim' };
const search = { team: 'search', owner: 'priya.nair' };
const base = [
  resource('Gateway', 'gw', platform),
  resource('Route', 'chat', platform, { maxTokens: 1024 }),
  resource('Route', 'premium', { team: 'ml', owner: 'noor.ahmed' }),
  resource('AccessPolicy', 'search', search, { subjects: { labels: { team: 'search' } }, routes: ['chat'] }),
  resource('Policy', 'eu-only', { team: 'security', owner: 'omar.haddad' }),
];
const replace = (side: PlanResource[], r: PlanResource) => side.map((x) => (x.id === r.id ? r : x));

describe('requiredApprovals', () => {
  it('asks nothing of an unchanged config', () => {
    expect(requiredApprovals(base, base)).toEqual([]);
  });

  it("asks the owners of what changes, is added or destroyed, with the team's owners as its members", () => {
    const head = [
      ...replace(base, resource('Route', 'chat', platform, { maxTokens: 2048 })).filter((r) => r.id !== 'Route/premium'),
      resource('Prompt', 'faq', { owner: 'li.wei' }),
    ];
    expect(requiredApprovals(base, head)).toEqual([
      { team: 'li.wei', members: ['li.wei'], resources: [{ id: 'Prompt/faq', why: 'added' }] },
      { team: 'ml', members: ['noor.ahmed'], resources: [{ id: 'Route/premium', why: 'destroyed' }] },
      { team: 'platform', members: ['dana.kim'], resources: [{ id: 'Route/chat', why: 'changed' }] },
    ]);
  });

  it('asks both teams when a resource is handed over', () => {
    const head = replace(base, resource('Route', 'chat', search, { maxTokens: 1024 }));
    expect(requiredApprovals(base, head).map((r) => [r.team, r.resources])).toEqual([
      ['platform', [{ id: 'Route/chat', why: 'changed' }]],
      ['search', [{ id: 'Route/chat', why: 'changed' }]],
    ]);
  });

  it('asks the owners of the routes an access grant newly reaches, all of them when its subjects change', () => {
    const more = replace(
      base,
      resource('AccessPolicy', 'search', search, { subjects: { labels: { team: 'search' } }, routes: ['chat', 'premium'] }),
    );
    expect(requiredApprovals(base, more).map((r) => [r.team, r.resources])).toEqual([
      ['ml', [{ id: 'Route/premium', why: 'newly reached by AccessPolicy/search' }]],
      ['search', [{ id: 'AccessPolicy/search', why: 'changed' }]],
    ]);
    const everyone = replace(base, resource('AccessPolicy', 'search', search, { subjects: { labels: {} }, routes: ['chat'] }));
    expect(requiredApprovals(base, everyone).find((r) => r.team === 'platform')?.resources).toEqual([
      { id: 'Route/chat', why: 'newly reached by AccessPolicy/search' },
    ]);
    const star = replace(base, resource('AccessPolicy', 'search', search, { subjects: { labels: { team: 'search' } }, routes: ['*'] }));
    expect(requiredApprovals(base, star).find((r) => r.team === 'ml')?.resources).toEqual([
      { id: 'Route/premium', why: 'newly reached by AccessPolicy/search' },
    ]);
  });
});

describe('waivers', () => {
  it("names the owners of the waived Policy, or of the Gateway for a built-in rule, and the exception's approvers", () => {
    const head = [
      ...base,
      resource('PolicyException', 'eu', platform, { rule: 'eu-only', resources: ['Route/chat'], approvers: ['omar.haddad'] }),
      resource('PolicyException', 'fallback', platform, { rule: 'route-has-fallback', resources: ['Route/chat'] }),
    ];
    expect(waivers(base, head)).toEqual([
      {
        id: 'PolicyException/eu',
        rule: 'eu-only',
        ownedBy: 'Policy/eu-only',
        owners: [{ team: 'security', owner: 'omar.haddad' }],
        approvers: ['omar.haddad'],
      },
      { id: 'PolicyException/fallback', rule: 'route-has-fallback', ownedBy: 'Gateway/gw', owners: [platform] },
    ]);
    expect(waivers(head, head)).toEqual([]);
  });
});
