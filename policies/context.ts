// Builds the RuleContext of one run: per-kind lists and id lookups made in one pass on first use, derived indexes
// on demand.
import type { EnvironmentInfo } from '../compiler/environments/apply.ts';
import type { AnyResource, Resource } from '../kernel/resource.ts';
import { KINDS, type Kind } from '../schema/kinds.ts';
import type { RuleContext } from './rule.ts';

export function createRuleContext(resources: readonly AnyResource[], environment: EnvironmentInfo): RuleContext {
  // Made on first use: a rule that reads `resources` alone (run by itself in the language server) needs neither.
  let lists: Map<Kind, AnyResource[]> | undefined;
  let ids: Map<string, AnyResource> | undefined;
  const index = (): void => {
    lists = new Map(KINDS.map((k) => [k, []]));
    ids = new Map();
    for (const r of resources) {
      lists.get(r.kind)!.push(r);
      ids.set(r.id, r);
    }
  };
  const memos = new Map<(ctx: RuleContext) => unknown, unknown>();
  const ctx: RuleContext = {
    environment,
    resources,
    byKind: <K extends Kind>(kind: K) => {
      if (!lists) index();
      return lists!.get(kind) as Resource<K>[];
    },
    byId: <K extends Kind>(kind: K, name: string) => {
      if (!ids) index();
      return ids!.get(`${kind}/${name}`) as Resource<K> | undefined;
    },
    memo<T>(build: (c: RuleContext) => T): T {
      if (!memos.has(build)) memos.set(build, build(ctx));
      return memos.get(build) as T;
    },
  };
  return ctx;
}
