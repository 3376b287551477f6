// What the approvals command prints: who must approve what, and, with the merge request's approvals, who has.
import type { ApprovalVerdict, Owed } from './approvals.ts';
import type { Requirement, Waiver } from './required.ts';

const resources = (r: Requirement) => r.resources.map((x) => `      ${x.id} (${x.why})`);
const waiverLine = (w: Waiver) =>
  `${w.id} waives ${w.rule} (owned by ${w.ownedBy})${w.approvers ? `, approvers ${w.approvers.join(', ')}` : ''}`;

export function renderOwed(owed: Owed): string {
  if (owed.requirements.length + owed.waivers.length === 0) return 'No approvals needed: the change touches no owned resource.\n';
  const out = ['Who must approve:', ''];
  for (const r of owed.requirements)
    out.push(`  team ${r.team}${r.members.length ? ` (owners: ${r.members.join(', ')})` : ''}`, ...resources(r));
  for (const w of owed.waivers) out.push(`  an owner of ${w.rule}: ${waiverLine(w)}`);
  return `${out.join('\n')}\n`;
}

export function renderVerdict(verdict: ApprovalVerdict): string {
  const out = [`Approved by: ${verdict.approvedBy.join(', ') || 'nobody yet'}`, ''];
  const mark = (ok: boolean) => (ok ? '✔' : '✖');
  for (const t of verdict.teams) {
    const state = t.approvedBy.length
      ? `approved by ${t.approvedBy.join(', ')}`
      : `needs an approval from one of: ${t.approvers.join(', ') || 'nobody (the team has no group or owner)'}`;
    out.push(`  ${mark(t.approvedBy.length > 0)} team ${t.requirement.team}: ${state}`, ...resources(t.requirement));
  }
  for (const w of verdict.waivers) {
    const state = w.approvedBy.length
      ? `approved by ${w.approvedBy.join(', ')}`
      : `needs an approval from one of: ${w.approvers.join(', ') || `nobody (none of its approvers owns ${w.waiver.rule})`}`;
    out.push(`  ${mark(w.approvedBy.length > 0)} ${waiverLine(w.waiver)}: ${state}`);
  }
  return `${out.join('\n')}\n`;
}

/** One line per approval still missing: the team (or waiver) and what it owns here. */
export function missingApprovals(verdict: ApprovalVerdict): string[] {
  return [
    ...verdict.teams
      .filter((t) => t.approvedBy.length === 0)
      .map((t) => `team ${t.requirement.team} has not approved ${t.requirement.resources.map((r) => r.id).join(', ')}`),
    ...verdict.waivers.filter((w) => w.approvedBy.length === 0).map((w) => `no owner of ${w.waiver.rule} has approved ${w.waiver.id}`),
  ];
}
