// The incremental engine: each check's findings on each resource, kept between rounds and recomputed through the
// checks' declared reads (kernel/reads.ts). A round is one environment after an edit (the language server keeps
// one engine per environment), or the next environment of the same compile (the CLI's compile of every
// environment goes through one engine, so that only what an overlay patches is checked again). A check runs again
// over every resource only when something it reads changed, or its key (what else its findings depend on: rule
// level, environment) did; otherwise over the changed resources alone, with the kinds it reads beside them.
import type { Diagnostic } from '../kernel/diagnostics.ts';
import type { IncrementalCheck } from '../kernel/reads.ts';
import type { AnyResource } from '../kernel/resource.ts';
import type { Kind } from '../schema/kinds.ts';

interface Round {
  /** Every resource checked, by kind, in input order. */
  byKind: Map<Kind, AnyResource[]>;
  /** The same with the resources that only count as declared (schema-invalid ones) first: the names referable. */
  declared: Map<Kind, AnyResource[]>;
}

/** Findings of the last round, check by check and resource id by resource id. */
export class CheckCache {
  private last: Round | undefined;
  /** By check id: the key they were computed under (another key runs the check afresh) and the findings. */
  private readonly findings = new Map<string, { key: string; byId: Map<string, Diagnostic[]> }>();
  /** How many checks the last round ran over every resource (tests read it). */
  fullRunsLastRound = 0;

  /**
   * The findings of each check over `resources`, in the checks' order. `alsoDeclared` are resources that are not
   * checked but exist for the checks that read names.
   */
  round(resources: readonly AnyResource[], alsoDeclared: readonly AnyResource[], checks: readonly IncrementalCheck[]): Diagnostic[][] {
    const now = groupRound(resources, alsoDeclared);
    const last = this.last;
    this.last = now;
    const changed: AnyResource[] = last ? [] : [...resources];
    const changedIds = new Set(changed.map((r) => r.id));
    const kindsChanged = new Set<Kind>();
    const namesChanged = new Set<Kind>();
    // Kind by kind, and resource by resource only within a kind whose list is not the same as last round.
    for (const kind of last ? new Set([...now.byKind.keys(), ...last.byKind.keys()]) : []) {
      const [after, before] = [now.byKind.get(kind) ?? [], last!.byKind.get(kind) ?? []];
      if (sameList(after, before)) continue;
      kindsChanged.add(kind);
      const [was, is] = [new Set(before), new Set(after)];
      for (const r of after) {
        if (was.has(r)) continue;
        changed.push(r);
        changedIds.add(r.id);
      }
      for (const r of before) if (!is.has(r)) changedIds.add(r.id);
    }
    for (const kind of last ? new Set([...now.declared.keys(), ...last.declared.keys()]) : []) {
      const [after, before] = [now.declared.get(kind), last!.declared.get(kind)];
      if (sameList(after, before)) continue;
      // A check that reads names may read the content of what they name, schema-invalid resources included.
      kindsChanged.add(kind);
      if (!sameNames(after, before)) namesChanged.add(kind);
    }
    this.fullRunsLastRound = 0;
    // A check left out of this round (its rule is off here, or not for this tier) was not kept up to date.
    const ids = new Set(checks.map((c) => c.id));
    for (const id of this.findings.keys()) if (!ids.has(id)) this.findings.delete(id);
    const scopes = new Map<string, AnyResource[]>();
    return checks.map((check) => {
      const key = check.key ?? '';
      const stored = this.findings.get(check.id);
      let kept = stored?.key === key ? stored.byId : undefined;
      const { kinds, names = [], parts = {}, on } = check.reads;
      const partKinds = Object.keys(parts) as Kind[];
      const everything =
        !kept ||
        (kinds === 'all' ? changedIds.size > 0 : kinds.some((k) => kindsChanged.has(k))) ||
        names.some((k) => namesChanged.has(k)) ||
        partKinds.some((k) => kindsChanged.has(k) && partChanged(now.byKind.get(k), last!.byKind.get(k), parts[k]!));
      if (everything) {
        this.fullRunsLastRound++;
        this.findings.set(check.id, { key, byId: (kept = byResource(check.run(resources))) });
      } else if (changedIds.size > 0) {
        for (const id of changedIds) kept!.delete(id);
        // A check that reports on none of the changed resources has nothing to say of them.
        if (!on || changed.some((r) => on.includes(r.kind))) {
          const read = [...new Set([...(kinds as readonly Kind[]), ...partKinds])].sort();
          // Checks that read the same kinds get the same scope, so that they can share one context and its indexes.
          let scope = scopes.get(read.join());
          if (!scope) {
            // A changed resource of a kind read (in part) is already among those beside.
            const beside = read.flatMap((k) => now.byKind.get(k) ?? []);
            scopes.set(read.join(), (scope = [...changed.filter((r) => !read.includes(r.kind)), ...beside]));
          }
          for (const [id, found] of byResource(check.run(scope))) if (changedIds.has(id)) kept!.set(id, found);
        }
      }
      return [...kept!.values()].flat();
    });
  }
}

function groupRound(resources: readonly AnyResource[], alsoDeclared: readonly AnyResource[]): Round {
  const group = (list: readonly AnyResource[], into: Map<Kind, AnyResource[]>): Map<Kind, AnyResource[]> => {
    for (const r of list) {
      const same = into.get(r.kind);
      if (same) same.push(r);
      else into.set(r.kind, [r]);
    }
    return into;
  };
  const byKind = group(resources, new Map());
  return { byKind, declared: alsoDeclared.length ? group(resources, group(alsoDeclared, new Map())) : byKind };
}

function byResource(diagnostics: readonly Diagnostic[]): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    const id = d.resource ?? '';
    const list = out.get(id);
    if (list) list.push(d);
    else out.set(id, [d]);
  }
  return out;
}

function sameList(a: readonly AnyResource[] = [], b: readonly AnyResource[] = []): boolean {
  return a === b || (a.length === b.length && a.every((r, i) => r === b[i]));
}

/** Whether the resources of a kind differ in the part a check reads (or in their order). */
function partChanged(a: readonly AnyResource[] = [], b: readonly AnyResource[] = [], part: (r: never) => unknown): boolean {
  if (a.length !== b.length) return true;
  const read = part as (r: AnyResource) => unknown;
  return a.some((r, i) => r !== b[i] && (r.id !== b[i]!.id || JSON.stringify(read(r)) !== JSON.stringify(read(b[i]!))));
}

function sameNames(a: readonly AnyResource[] = [], b: readonly AnyResource[] = []): boolean {
  return a.length === b.length && a.every((r, i) => r === b[i] || r.name === b[i]!.name);
}
