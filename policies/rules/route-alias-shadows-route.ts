import { aliasPart, aliasIndex, describeClaim } from '../alias-index.ts';
import type { Rule } from '../rule.ts';

export const routeAliasShadowsRoute: Rule = {
  id: 'route-alias-shadows-route',
  description: "No alias (exact or pattern) names or matches another route's name.",
  rationale:
    'A route name always wins over aliases, so such an alias never applies to that name; it only misleads the reader into thinking requests for that route go elsewhere.',
  defaultSeverity: 'error',
  reads: { on: ['Route'], kinds: [], parts: { Route: aliasPart } },
  *check(ctx) {
    const index = ctx.memo(aliasIndex);
    for (const route of ctx.byKind('Route')) {
      for (const claim of [...(index.exact.get(route.name) ?? []), ...index.patternsMatching(route.name)]) {
        if (claim.route === route) continue;
        yield {
          resource: claim.route,
          path: claim.path,
          message: `Alias \`${claim.alias}\` of route ${claim.route.name} ${claim.matches ? 'matches' : 'is'} the name of ${describeClaim(route, ['metadata', 'name'])}: requests for \`${route.name}\` go to that route, never through this alias.`,
          hint: "Drop the alias or narrow the pattern; to move that traffic, change the other route's targets instead.",
        };
      }
    }
  },
};
