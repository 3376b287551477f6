import { aliasPart, type AliasClaim, aliasIndex, describeClaim } from '../alias-index.ts';
import { commonMatch } from '../glob-intersection.ts';
import type { Finding, Rule } from '../rule.ts';

export const routeAliasesUnique: Rule = {
  id: 'route-aliases-unique',
  description:
    'No model id is claimed by the aliases of two routes: the same exact id, an exact id and a pattern matching it, or two patterns that can match one id.',
  rationale:
    "The gateway sends a model id to one route only. When two routes claim it, which one serves it follows lookup-order rules nobody reviews, and a pattern added for one model family silently takes another team's traffic.",
  defaultSeverity: 'error',
  reads: { on: ['Route'], kinds: [], parts: { Route: aliasPart } },
  docs: [
    'Each overlap is reported at both aliases, each finding naming the other route and where its alias is written.',
    '',
    'Two patterns overlap when some id matches both. The check is exact, not a guess: a `*`/`?` glob is an automaton over the positions in the pattern, and the two are searched together (at most one step per pair of positions) for an id both accept; the shortest one is quoted in the finding. Only patterns whose literal prefixes agree (one starts the other) are compared, so the cost follows the patterns that could really collide, not every pair in the repo.',
    '',
    "A pattern that starts with a wildcard overlaps more than it seems: `*-codex` and another route's `gpt-*` both match `gpt-codex`. Prefer patterns that start with the model family.",
    '',
    'Aliases of one route may overlap each other (`claude-sonnet-4-5` and `claude-sonnet-*`): they lead to the same place.',
  ].join('\n'),
  *check(ctx) {
    const index = ctx.memo(aliasIndex);
    for (const claims of index.exact.values()) {
      for (const a of claims)
        for (const b of claims) if (a.route !== b.route) yield overlap(a, b, `is also an alias of ${describeClaim(b.route, b.path)}`);
    }
    for (const [id, claims] of index.exact) {
      for (const pattern of index.patternsMatching(id)) {
        for (const exact of claims) {
          if (exact.route === pattern.route) continue;
          yield overlap(exact, pattern, `is matched by alias \`${pattern.alias}\` of ${describeClaim(pattern.route, pattern.path)}`);
          yield overlap(pattern, exact, `matches alias \`${exact.alias}\` of ${describeClaim(exact.route, exact.path)}`);
        }
      }
    }
    const order = new Map(index.patterns.map((p, i) => [p, i]));
    for (const a of index.patterns) {
      // Two patterns can share an id only if one literal prefix starts the other; each pair is compared once.
      for (const b of index.patternsBefore(a.prefix)) {
        if (b.route === a.route || (b.prefix.length === a.prefix.length && order.get(b)! >= order.get(a)!)) continue;
        const shared = commonMatch(a.alias, b.alias);
        if (shared === undefined) continue;
        yield overlap(a, b, `and alias \`${b.alias}\` of ${describeClaim(b.route, b.path)} both match \`${shared}\``);
        yield overlap(b, a, `and alias \`${a.alias}\` of ${describeClaim(a.route, a.path)} both match \`${shared}\``);
      }
    }
  },
};

function overlap(self: AliasClaim, other: AliasClaim, how: string): Finding {
  return {
    resource: self.route,
    path: self.path,
    message: `Alias \`${self.alias}\` of route ${self.route.name} ${how}.`,
    hint: `A model id lands on one route only: drop the alias from route ${self.route.name} or ${other.route.name}, or narrow a pattern (\`claude-sonnet-*\` rather than \`claude-*\`).`,
  };
}
