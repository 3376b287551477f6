import { describe, expect, it } from 'vitest';
import { doc, findings } from '../../test/support/policy-resources.ts';
import { noUnusedConsumers } from './no-unused-consumers.ts';

const consumer = (name: string, labels: string) => doc('Consumer', name, 'apiKeys: []', `labels: ${labels}`);
const access = (name: string, subjects: string) => doc('AccessPolicy', name, `subjects: ${subjects}\nroutes: [chat]`);

describe('no-unused-consumers', () => {
  it('accepts consumers selected by name or by all of a policy\'s labels', () => {
    const yaml =
      consumer('billing', '{team: billing, tier: gold}') +
      consumer('search', '{team: search}') +
      access('by-name', '{consumers: [search]}') +
      access('by-labels', '{labels: {tier: gold, team: billing}}');
    expect(findings(noUnusedConsumers, yaml)).toEqual([]);
  });

  it('flags a consumer that matches only some labels, or empty labels', () => {
    const yaml =
      consumer('billing', '{team: billing}') +
      access('gold', '{labels: {team: billing, tier: gold}}') +
      access('nobody', '{labels: {}}');
    expect(findings(noUnusedConsumers, yaml).map((f) => [f.resource, f.at])).toEqual([['Consumer/billing', 'metadata.name']]);
  });
});
