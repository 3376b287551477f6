import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { noUnusedConsumers } from './no-unused-consumers.ts';

const consumer = (name: string, labels: string) => doc('Consumer', name, 'apiKeys: []', `labels: ${labels}`);
const access = (name: string, subjects: string) => doc('AccessPolicy', name, `subjects: ${subjects}\nroutes: [chat]`);

ruleTester.run(noUnusedConsumers, {
  valid: [
    {
      name: "consumers selected by name or by all of a policy's labels",
      yaml:
        consumer('billing', '{team: billing, tier: gold}') +
        consumer('search', '{team: search}') +
        access('by-name', '{consumers: [search]}') +
        access('by-labels', '{labels: {tier: gold, team: billing}}'),
    },
  ],
  invalid: [
    {
      name: 'a consumer that matches only some labels, or empty labels',
      yaml:
        consumer('billing', '{team: billing}') + access('gold', '{labels: {team: billing, tier: gold}}') + access('nobody', '{labels: {}}'),
      errors: [
        {
          message: 'Consumer billing is the subject of no access policy, so its keys can call nothing.',
          line: 5,
          column: 9,
          resource: 'Consumer/billing',
          path: 'metadata.name',
        },
      ],
    },
  ],
});
