// Who must approve a change: the owners of every resource it touches, and the owners of every route and prompt
// an access grant newly reaches. Owners come from the labels `team` (a team, approved by any of its members)
// and `owner` (a person, who counts as a member of that team). Pure: the resources of both sides in, the
// approvals each team owes out. A `PolicyException` needs more than its own team: see `waivers`.
import type { PlanResource } from '../plan/resource-diff.ts';
import type { Owners, Requirement, Waiver } from '../plan/types.ts';
import { deepEqual } from '../plan/value-diff.ts';
import { resourceId } from '../../kernel/resource.ts';

export type { Owners, OwedResource, Requirement, Waiver } from '../plan/types.ts';

/** The team that approves: the `team` label, or, without one, the `owner` as a team of one. */
export function teamOf(owners: Owners): string {
  return owners.team ?? owners.owner!;
}

type Side = readonly PlanResource[];

export function ownersOf(resource: Pick<PlanResource, 'value'>): Owners | undefined {
  const labels = (resource.value as { metadata?: { labels?: Record<string, string> } }).metadata?.labels ?? {};
  if (!labels.team && !labels.owner) return undefined;
  return { ...(labels.team ? { team: labels.team } : {}), ...(labels.owner ? { owner: labels.owner } : {}) };
}

/** What each team owes, in order of team name; resources in order of id. */
export function requiredApprovals(before: Side, after: Side): Requirement[] {
  const owed = new Map<string, { resources: Map<string, string> }>();
  const owe = (owners: Owners | undefined, id: string, why: string) => {
    if (!owners) return;
    const entry = owed.get(teamOf(owners)) ?? { resources: new Map<string, string>() };
    owed.set(teamOf(owners), entry);
    if (!entry.resources.has(id)) entry.resources.set(id, why);
  };
  const base = new Map(before.map((r) => [r.id, r]));
  const head = new Map(after.map((r) => [r.id, r]));
  for (const [id, r] of head) {
    const old = base.get(id);
    if (!old) owe(ownersOf(r), id, 'added');
    else if (!deepEqual(old.value, r.value)) {
      // Handing a resource over takes the old owners' approval as well as the new ones'.
      owe(ownersOf(r), id, 'changed');
      owe(ownersOf(old), id, 'changed');
    }
  }
  for (const [id, r] of base) if (!head.has(id)) owe(ownersOf(r), id, 'destroyed');
  for (const { target, policy } of newlyReached(before, after)) owe(ownersOf(target), target.id, `newly reached by ${policy}`);

  const members = teamMembers([...before, ...after]);
  return [...owed.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([team, entry]) => ({
      team,
      members: [...(members.get(team) ?? [])].sort(),
      resources: [...entry.resources.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, why]) => ({ id, why })),
    }));
}

/** The exceptions the change adds or edits, each with the owners of the rule it waives. */
export function waivers(before: Side, after: Side): Waiver[] {
  const base = new Map(before.map((r) => [r.id, r]));
  const gateway = after.find((r) => r.kind === 'Gateway');
  return after
    .filter((r) => r.kind === 'PolicyException' && !deepEqual(base.get(r.id)?.value, r.value))
    .map((r) => {
      const spec = (r.value as { spec: { rule: string; approvers?: string[] } }).spec;
      const policy =
        after.find((p) => p.kind === 'Policy' && p.name === spec.rule) ?? before.find((p) => p.kind === 'Policy' && p.name === spec.rule);
      const owning = policy ?? gateway;
      const owners = owning ? ownersOf(owning) : undefined;
      return {
        id: r.id,
        rule: spec.rule,
        ownedBy: owning?.id ?? 'nobody',
        owners: owners ? [owners] : [],
        ...(spec.approvers ? { approvers: spec.approvers } : {}),
      };
    });
}

/** Team -> the `owner` labels of its resources. */
export function teamMembers(resources: Side): Map<string, Set<string>> {
  const members = new Map<string, Set<string>>();
  for (const r of resources) {
    const owners = ownersOf(r);
    if (owners?.owner) members.set(teamOf(owners), (members.get(teamOf(owners)) ?? new Set()).add(owners.owner));
  }
  return members;
}

interface Grant {
  routes?: string[];
  prompts?: string[];
  subjects?: unknown;
}

/**
 * Routes and prompts an access policy grants at the head and did not at the base. When a policy's subjects
 * change, everything it grants reaches someone new.
 */
function newlyReached(before: Side, after: Side): { target: PlanResource; policy: string }[] {
  const reached: { target: PlanResource; policy: string }[] = [];
  // Indexed once: a repo has hundreds of access policies over thousands of routes and prompts.
  const [was, now] = [firstById(before), firstById(after)];
  const spec = (r: PlanResource | undefined) => (r?.value as { spec?: Grant } | undefined)?.spec;
  const granted = grantedOn(before);
  const grantedNow = grantedOn(after);
  for (const policy of after) {
    if (policy.kind !== 'AccessPolicy') continue;
    const grant = spec(policy) ?? {};
    const old = spec(was.get(policy.id));
    const sameSubjects = old !== undefined && deepEqual(old.subjects, grant.subjects);
    for (const kind of ['Route', 'Prompt'] as const) {
      const list = kind === 'Route' ? 'routes' : 'prompts';
      const oldNames = sameSubjects ? granted(kind, old?.[list]) : new Set<string>();
      for (const name of grantedNow(kind, grant[list])) {
        const target = now.get(resourceId(kind, name));
        if (!oldNames.has(name) && target?.kind === kind) reached.push({ target, policy: policy.id });
      }
    }
  }
  return reached;
}

/** Resources by id; the first of duplicates (a head with errors may have them), as a search would find it. */
function firstById(side: Side): Map<string, PlanResource> {
  const byId = new Map<string, PlanResource>();
  for (const r of side) if (!byId.has(r.id)) byId.set(r.id, r);
  return byId;
}

/** The names a grant list reaches on one side: `*` is every resource of the kind there (listed once a side). */
function grantedOn(side: Side): (kind: 'Route' | 'Prompt', names: readonly string[] | undefined) => ReadonlySet<string> {
  const every = new Map<string, Set<string>>();
  return (kind, names) => {
    if (!names?.includes('*')) return new Set(names ?? []);
    let all = every.get(kind);
    if (!all) every.set(kind, (all = new Set(side.filter((r) => r.kind === kind).map((r) => r.name))));
    return all;
  };
}
