// The incremental engine: each check's findings on each resource, kept between rounds and recomputed through the
// checks' declared reads (kernel/reads.ts). A round is one environment after an edit (the language server keeps
// one engine per environment), or the next environment of the same compile (the CLI's compile of every
// environment goes through one engine, so that only what an overlay patches is checked again). A check runs again
// over every resource only when something it reads changed, or its key (what else its findings depend on: rule
// level, environment) did; otherwise over the changed resources alone, with the kinds it reads beside them.
// An engine whose resources are told apart by content (`identify`) can be persisted (`snapshot`) and started again
// from it in another process: `plan` keeps it in its cache, so that a warm plan re-checks what its change reaches.
import type { Diagnostic } from '../kernel/diagnostics.ts';
import type { IncrementalCheck } from '../kernel/reads.ts';
import type { AnyResource } from '../kernel/resource.ts';
import type { Kind } from '../schema/kinds.ts';

/** The resources of one kind in a round, in input order: what tells them apart, and their ids. */
interface KindList {
  keys: string[];
  ids: string[];
  /** The resources themselves: absent in a round restored from a snapshot. */
  resources?: AnyResource[];
}

interface Round {
  /** Every resource checked, by kind. */
  byKind: Map<Kind, KindList>;
  /** The same with the resources that only count as declared (schema-invalid ones) first: the names referable. */
  declared: Map<Kind, KindList>;
  /** The part a check reads of a resource, as JSON, by `check id\0kind` and index in the kind's list. */
  part(check: IncrementalCheck | string, kind: Kind, index: number): string;
}

/** An engine's state as plain data, for a store; valid only for the `identify` and the checks that made it. */
export interface CheckSnapshot {
  byKind: [Kind, string[], string[]][];
  declared: [Kind, string[], string[]][];
  /** `check id\0kind` -> the part the check reads of each resource of that kind, as JSON. */
  parts: [string, string[]][];
  findings: [string, string, [string, Diagnostic[]][]][];
}

/** Where an engine's state is kept between processes, by a scope naming what else its findings depend on. */
export interface CheckStates {
  /** A state to start from, the closest to a round of the resources `keys` that there is. */
  load(scope: string, keys: readonly string[]): CheckSnapshot | undefined;
  save(scope: string, snapshot: CheckSnapshot): void;
}

export interface CheckCacheOptions {
  /**
   * What tells two resources apart: equal for a resource that has the same content and source text as one of the
   * round before. By object identity when omitted (an editor's compile, whose unchanged resources are the same
   * objects).
   */
  identify?: (resource: AnyResource) => string;
  /** The state to start from (`snapshot` of an engine with the same `identify`). */
  from?: CheckSnapshot;
}

/** Findings of the last round, check by check and resource id by resource id. */
export class CheckCache {
  private last: Round | undefined;
  /** The checks of the last round, whose parts a snapshot keeps. */
  private lastChecks: readonly IncrementalCheck[] = [];
  /** By check id: the key they were computed under (another key runs the check afresh) and the findings. */
  private readonly findings = new Map<string, { key: string; byId: Map<string, Diagnostic[]> }>();
  private readonly identify: (resource: AnyResource) => string;
  /** The parts of the state restored from, by part name and resource key: a resource with the same key has them. */
  private restoredParts = new Map<string, Map<string, string>>();
  /** How many checks the last round ran over every resource (tests read it). */
  fullRunsLastRound = 0;
  /** Whether the last round changed anything kept (a store need not write its state again). */
  changedLastRound = false;

  constructor(options: CheckCacheOptions = {}) {
    this.identify = options.identify ?? identityKeys();
    if (options.from) this.restore(options.from);
  }

  /**
   * The findings of each check over `resources`, in the checks' order. `alsoDeclared` are resources that are not
   * checked but exist for the checks that read names.
   */
  round(resources: readonly AnyResource[], alsoDeclared: readonly AnyResource[], checks: readonly IncrementalCheck[]): Diagnostic[][] {
    const now = this.groupRound(resources, alsoDeclared);
    const last = this.last;
    this.last = now;
    this.lastChecks = checks;
    const changed: AnyResource[] = last ? [] : [...resources];
    const changedIds = new Set(changed.map((r) => r.id));
    const kindsChanged = new Set<Kind>();
    const namesChanged = new Set<Kind>();
    // Kind by kind, and resource by resource only within a kind whose list is not the same as last round.
    for (const kind of last ? new Set([...now.byKind.keys(), ...last.byKind.keys()]) : []) {
      const [after, before] = [now.byKind.get(kind), last!.byKind.get(kind)];
      if (sameList(after?.keys, before?.keys)) continue;
      kindsChanged.add(kind);
      const [was, is] = [new Set(before?.keys), new Set(after?.keys)];
      after?.keys.forEach((key, i) => {
        if (was.has(key)) return;
        changed.push(after.resources![i]!);
        changedIds.add(after.ids[i]!);
      });
      before?.keys.forEach((key, i) => {
        if (!is.has(key)) changedIds.add(before.ids[i]!);
      });
    }
    for (const kind of last ? new Set([...now.declared.keys(), ...last.declared.keys()]) : []) {
      const [after, before] = [now.declared.get(kind), last!.declared.get(kind)];
      if (sameList(after?.keys, before?.keys)) continue;
      // A check that reads names may read the content of what they name, schema-invalid resources included.
      kindsChanged.add(kind);
      if (!sameList(after?.ids, before?.ids)) namesChanged.add(kind);
    }
    this.fullRunsLastRound = 0;
    this.changedLastRound = changedIds.size > 0 || kindsChanged.size > 0;
    // A check left out of this round (its rule is off here, or not for this tier) was not kept up to date.
    const ids = new Set(checks.map((c) => c.id));
    for (const id of this.findings.keys()) {
      if (ids.has(id)) continue;
      this.findings.delete(id);
      this.changedLastRound = true;
    }
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
        partKinds.some((k) => kindsChanged.has(k) && partChanged(check, k, now, last!));
      if (everything) {
        this.fullRunsLastRound++;
        this.changedLastRound = true;
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
            const beside = read.flatMap((k) => now.byKind.get(k)?.resources ?? []);
            scopes.set(read.join(), (scope = [...changed.filter((r) => !read.includes(r.kind)), ...beside]));
          }
          for (const [id, found] of byResource(check.run(scope))) if (changedIds.has(id)) kept!.set(id, found);
        }
      }
      return [...kept!.values()].flat();
    });
  }

  /** The state after the last round, as plain data (for a store to serialize: later rounds may change it). */
  snapshot(): CheckSnapshot {
    const round = this.last ?? this.groupRound([], []);
    const lists = (map: Map<Kind, KindList>): [Kind, string[], string[]][] => [...map].map(([kind, l]) => [kind, l.keys, l.ids]);
    const parts: [string, string[]][] = [];
    for (const check of this.lastChecks) {
      for (const kind of Object.keys(check.reads.parts ?? {}) as Kind[]) {
        const name = partName(check.id, kind);
        const known = this.restoredParts.get(name);
        const keys = round.byKind.get(kind)?.keys ?? [];
        parts.push([name, keys.map((key, i) => known?.get(key) ?? round.part(check, kind, i))]);
      }
    }
    return {
      byKind: lists(round.byKind),
      declared: round.declared === round.byKind ? [] : lists(round.declared),
      parts,
      findings: [...this.findings].map(([id, { key, byId }]) => [id, key, [...byId]]),
    };
  }

  private restore(snapshot: CheckSnapshot): void {
    const lists = (rows: CheckSnapshot['byKind']) => new Map(rows.map(([kind, keys, ids]): [Kind, KindList] => [kind, { keys, ids }]));
    const byKind = lists(snapshot.byKind);
    const parts = new Map(snapshot.parts);
    for (const [name, json] of parts) {
      const keys = byKind.get(name.slice(name.indexOf('\0') + 1) as Kind)?.keys ?? [];
      this.restoredParts.set(name, new Map(keys.map((key, i) => [key, json[i] ?? ''])));
    }
    this.last = {
      byKind,
      declared: snapshot.declared.length ? lists(snapshot.declared) : byKind,
      part: (check, kind, i) => parts.get(partName(typeof check === 'string' ? check : check.id, kind))?.[i] ?? '',
    };
    for (const [id, key, byId] of snapshot.findings) this.findings.set(id, { key, byId: new Map(byId) });
  }

  private groupRound(resources: readonly AnyResource[], alsoDeclared: readonly AnyResource[]): Round {
    const group = (list: readonly AnyResource[], into: Map<Kind, KindList>): Map<Kind, KindList> => {
      for (const r of list) {
        let same = into.get(r.kind);
        if (!same) into.set(r.kind, (same = { keys: [], ids: [], resources: [] }));
        same.keys.push(this.identify(r));
        same.ids.push(r.id);
        same.resources!.push(r);
      }
      return into;
    };
    const byKind = group(resources, new Map());
    return {
      byKind,
      declared: alsoDeclared.length ? group(resources, group(alsoDeclared, new Map())) : byKind,
      part: (check, kind, i) => {
        const read = (check as IncrementalCheck).reads.parts![kind] as (r: AnyResource) => unknown;
        return JSON.stringify(read(byKind.get(kind)!.resources![i]!)) ?? '';
      },
    };
  }
}

/** Keys by object identity: a number per object, for as long as it lives. */
function identityKeys(): (resource: AnyResource) => string {
  const keys = new WeakMap<AnyResource, string>();
  let next = 0;
  return (r) => {
    let key = keys.get(r);
    if (key === undefined) keys.set(r, (key = String(next++)));
    return key;
  };
}

function partName(check: string, kind: Kind): string {
  return `${check}\0${kind}`;
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

function sameList(a: readonly string[] = [], b: readonly string[] = []): boolean {
  return a === b || (a.length === b.length && a.every((key, i) => key === b[i]));
}

/** Whether the resources of a kind differ in the part a check reads (or in their order). */
function partChanged(check: IncrementalCheck, kind: Kind, now: Round, last: Round): boolean {
  const [a, b] = [now.byKind.get(kind), last.byKind.get(kind)];
  if ((a?.keys.length ?? 0) !== (b?.keys.length ?? 0)) return true;
  return (a?.keys ?? []).some(
    (key, i) => key !== b!.keys[i] && (a!.ids[i] !== b!.ids[i] || now.part(check, kind, i) !== last.part(check, kind, i)),
  );
}
