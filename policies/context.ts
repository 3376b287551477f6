// Builds the RuleContext of one run: per-kind lists and id lookups made in one pass, derived indexes on demand.
import type { EnvironmentInfo } from '../compiler/environments/apply.ts';
import type { AnyResource, Resource } from '../kernel/resource.ts';
import { KINDS, type Kind } from '../schema/kinds.ts';
import type { RuleContext } from './rule.ts';

export function createRuleContext(resources: readonly AnyResource[], environment: EnvironmentInfo): RuleContext {
  const lists = new Map<Kind, AnyResource[]>(KINDS.map((k) => [k, []]));
  const ids = new Map<string, AnyResource>();
  for (const r of resources) {
    lists.get(r.kind)!.push(r);
    ids.set(r.id, r);
  }
  const memos = new Map<(ctx: RuleContext) => unknown, unknown>();
  const ctx: RuleContext = {
    environment,
    resources,
    byKind: <K extends Kind>(kind: K) => lists.get(kind) as Resource<K>[],
    byId: <K extends Kind>(kind: K, name: string) => ids.get(`${kind}/${name}`) as Resource<K> | undefined,
    memo<T>(build: (c: RuleContext) => T): T {
      if (!memos.has(build)) memos.set(build, build(ctx));
      return memos.get(build) as T;
    },
  };
  return ctx;
}
