import type { Rule } from '../rule.ts';
import { weightFindings } from '../weights.ts';

export const routeWeightsSum100: Rule = {
  id: 'route-weights-sum-100',
  description: "A route's target weights are all omitted (even split) or all set and summing to 100.",
  rationale: 'Weights are traffic percentages; a partial or mistyped set sends a share of traffic nobody intended.',
  defaultSeverity: 'error',
  reads: { kinds: [], on: ['Route'] },
  *check(ctx) {
    for (const route of ctx.byKind('Route')) {
      yield* weightFindings(route, route.value.spec.targets, ['spec', 'targets'], `route ${route.name}'s targets`);
    }
  },
};
