// `modelgate approvals --check`, for GitLab Free (where CODEOWNERS approval is not enforced): the teams that own
// what a merge request touches, in every environment, and whether each has approved it. A team's approval is
// one by a member of its GitLab group (with --team-group) or by a person its resources name as `owner`. A
// PolicyException the merge request adds or edits needs an approval by an owner of the rule it waives, one of
// its `approvers` when it names them.
import type { Gitlab } from '@gitbeaker/rest';
import { UsageError } from '../../kernel/errors.ts';
import { compileProject, type CompileResult } from '../../pipeline/compile.ts';
import { TARGET_NAMES } from '../../targets/registry.ts';
import { explain } from '../gitlab/plan-note.ts';
import type { MergeRequestContext } from '../gitlab/merge-request.ts';
import { openBase } from '../plan/base-source.ts';
import type { PlanResource } from '../plan/resource-diff.ts';
import { teamGroup } from './codeowners.ts';
import { requiredApprovals, teamMembers, teamOf, waivers, type Requirement, type Waiver } from './required.ts';

export interface Owed {
  requirements: Requirement[];
  waivers: Waiver[];
  /** Team -> `owner` labels of its resources, on either side. */
  members: Map<string, Set<string>>;
}

/** What the change from `base` to the config at `root` owes, over every environment of either side. */
export function owedApprovals(root: string, base: string, maxFileBytes?: number): Owed {
  const head = compileProject(root, { env: 'all', maxFileBytes });
  const source = openBase(base, root, TARGET_NAMES);
  try {
    if (source.kind === 'build')
      throw new UsageError(`--base ${base} is a build directory: approvals need the config the change starts from.`);
    const before = compileProject(source.root, { env: 'all', maxFileBytes });
    const sides = sidesByEnvironment(before, head);
    const requirements = merge(sides.flatMap(([b, a]) => requiredApprovals(b, a)));
    const byId = new Map(sides.flatMap(([b, a]) => waivers(b, a)).map((w) => [w.id, w]));
    const members = teamMembers(sides.flatMap(([b, a]) => [...b, ...a]));
    return { requirements, waivers: [...byId.values()], members };
  } finally {
    source.dispose();
  }
}

/** Each environment's effective resources, before and after; the base resources when neither has environments. */
function sidesByEnvironment(before: CompileResult, after: CompileResult): [PlanResource[], PlanResource[]][] {
  const names = [...new Set([...before.environments, ...after.environments].map((e) => e.environment.name))];
  const of = (result: CompileResult, name: string) => result.environments.find((e) => e.environment.name === name)?.resources ?? [];
  return names.length > 0 ? names.map((n) => [of(before, n), of(after, n)]) : [[before.resources, after.resources]];
}

function merge(requirements: readonly Requirement[]): Requirement[] {
  const byTeam = new Map<string, Requirement>();
  for (const r of requirements) {
    const seen = byTeam.get(r.team);
    if (!seen) byTeam.set(r.team, { ...r, resources: [...r.resources] });
    else {
      seen.members = [...new Set([...seen.members, ...r.members])].sort();
      for (const item of r.resources) if (!seen.resources.some((x) => x.id === item.id)) seen.resources.push(item);
      seen.resources.sort((a, b) => (a.id < b.id ? -1 : 1));
    }
  }
  return [...byTeam.values()].sort((a, b) => (a.team < b.team ? -1 : 1));
}

export interface TeamVerdict {
  requirement: Requirement;
  /** Who may approve for the team: its group (when known) and its owners. */
  approvers: string[];
  approvedBy: string[];
}

export interface WaiverVerdict {
  waiver: Waiver;
  approvers: string[];
  approvedBy: string[];
}

export interface ApprovalVerdict {
  approvedBy: string[];
  teams: TeamVerdict[];
  waivers: WaiverVerdict[];
}

export function isApproved(verdict: ApprovalVerdict): boolean {
  return [...verdict.teams, ...verdict.waivers].every((v) => v.approvedBy.length > 0);
}

/** Asks GitLab who approved the merge request, and who is in each team's group, and judges what is owed. */
export async function checkApprovals(
  api: Gitlab,
  context: MergeRequestContext,
  owed: Owed,
  options: { teamGroup?: string } = {},
): Promise<ApprovalVerdict> {
  const groups = new Map<string, string[]>();
  /** The usernames of a team: its group's members (when --team-group names it) and its resources' owners. */
  const team = async (name: string): Promise<string[]> => {
    const fromGroup = options.teamGroup ? (groups.get(name) ?? (await groupMembers(api, context, teamGroup(options.teamGroup, name)))) : [];
    groups.set(name, fromGroup);
    return [...new Set([...fromGroup, ...(owed.members.get(name) ?? [])])].sort();
  };
  let approvedBy: string[];
  try {
    const approvals = await api.MergeRequestApprovals.showConfiguration(context.projectId, { mergerequestIId: context.mergeRequestIid });
    approvedBy = (approvals.approved_by ?? []).map((a) => a.user.username).sort();
  } catch (error) {
    throw explain(error, context, 'reading the merge request approvals');
  }
  const teams: TeamVerdict[] = [];
  for (const requirement of owed.requirements) {
    const approvers = await team(requirement.team);
    teams.push({ requirement, approvers, approvedBy: approvedBy.filter((u) => approvers.includes(u)) });
  }
  const exceptions: WaiverVerdict[] = [];
  for (const waiver of owed.waivers) {
    const owners = new Set<string>();
    for (const o of waiver.owners) {
      for (const u of await team(teamOf(o))) owners.add(u);
      if (o.owner) owners.add(o.owner);
    }
    const approvers = [...owners].filter((u) => !waiver.approvers || waiver.approvers.includes(u)).sort();
    exceptions.push({ waiver, approvers, approvedBy: approvedBy.filter((u) => approvers.includes(u)) });
  }
  return { approvedBy, teams, waivers: exceptions };
}

async function groupMembers(api: Gitlab, context: MergeRequestContext, group: string): Promise<string[]> {
  try {
    const members = await api.GroupMembers.all(group, { includeInherited: true });
    return members.map((m) => m.username);
  } catch (error) {
    throw explain(error, context, `reading the members of group ${group}`);
  }
}
