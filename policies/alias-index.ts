// Every Route alias in one index, shared by the alias rules through `ctx.memo`. Patterns are filed under their
// literal prefix: an id can only match a pattern whose prefix starts it, so looking up the id's prefixes finds
// the candidates without trying every pattern of the repo.
import type { Location } from '../kernel/diagnostics.ts';
import { compileModelGlob, isModelPattern, literalPrefix } from '../kernel/model-glob.ts';
import type { DocPath, Resource } from '../kernel/resource.ts';
import type { RuleContext } from './rule.ts';

export interface AliasClaim {
  route: Resource<'Route'>;
  alias: string;
  /** Where the alias is written: `spec.aliases[i]`. */
  path: DocPath;
  /** Set on patterns only. */
  matches?: (id: string) => boolean;
  prefix: string;
}

export interface AliasIndex {
  /** Exact-id claims, by id. */
  exact: ReadonlyMap<string, readonly AliasClaim[]>;
  patterns: readonly AliasClaim[];
  /** Pattern claims whose literal prefix is a prefix of `text` (the only ones that can match an id starting so). */
  patternsBefore(text: string): AliasClaim[];
  /** Pattern claims that match the id. */
  patternsMatching(id: string): AliasClaim[];
}

export function aliasIndex(ctx: RuleContext): AliasIndex {
  const exact = new Map<string, AliasClaim[]>();
  const byPrefix = new Map<string, AliasClaim[]>();
  const patterns: AliasClaim[] = [];
  for (const route of ctx.byKind('Route')) {
    (route.value.spec.aliases ?? []).forEach((alias, i) => {
      const path = ['spec', 'aliases', i];
      if (!isModelPattern(alias)) return void push(exact, alias, { route, alias, path, prefix: alias });
      const claim = { route, alias, path, matches: compileModelGlob(alias), prefix: literalPrefix(alias) };
      patterns.push(claim);
      push(byPrefix, claim.prefix, claim);
    });
  }
  const patternsBefore = (text: string): AliasClaim[] => {
    const found: AliasClaim[] = [];
    for (let n = 0; n <= text.length; n++) found.push(...(byPrefix.get(text.slice(0, n)) ?? []));
    return found;
  };
  return { exact, patterns, patternsBefore, patternsMatching: (id) => patternsBefore(id).filter((c) => c.matches!(id)) };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** What the alias rules read of a route: its name, its aliases, and where each is written (findings quote them). */
export function aliasPart(route: Resource<'Route'>): unknown {
  const at = (path: DocPath) => {
    const { file, line } = route.locate(path);
    return `${file}:${line}`;
  };
  return [route.name, at(['metadata', 'name']), (route.value.spec.aliases ?? []).map((alias, i) => [alias, at(['spec', 'aliases', i])])];
}

/** `route chat-premium (routes/chat-premium.yaml:14)`: the other side of a finding, for its message. */
export function describeClaim(route: Resource<'Route'>, path: DocPath): string {
  const at: Location = route.locate(path);
  return `route ${route.name} (${at.file}:${at.line})`;
}
