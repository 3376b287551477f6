// Markdown plan for a merge request note, in the layout Atlantis users know: a hidden marker that finds the
// note again, the summary line, the policy delta, then the details collapsed.
import type { Diagnostic } from '../../kernel/diagnostics.ts';
import {
  ACTION_SYMBOL,
  artifactSummary,
  changeLocation,
  describeField,
  errorsHead,
  fieldSymbol,
  isUnplanned,
  summaryLine,
  whereOf,
} from './describe.ts';
import type { ArtifactChange, EnvironmentPlan, Plan } from './types.ts';

/** GitLab rejects notes over 1,000,000 characters; stay under it with room for GitLab's own additions. */
export const NOTE_LIMIT = 1_000_000;
const NOTE_BUDGET = NOTE_LIMIT - 10_000;
/** Resource changes longer than this collapse into `<details>`; so do fixed findings past OPEN_FINDINGS. */
const OPEN_LINES = 25;
const OPEN_FINDINGS = 5;

export function planMarker(environment: string): string {
  return `<!-- modelgate:plan:${environment} -->`;
}

export function renderPlanMarkdown(plan: Plan): string {
  return plan.environments.map((env) => renderEnvironmentMarkdown(env)).join('\n---\n\n');
}

/**
 * One environment's note. When it would exceed `budget`, artifact diffs are left out, largest first, each
 * replaced by a line saying so: the resource plan and the policy delta are what a reviewer cannot do without.
 */
export function renderEnvironmentMarkdown(plan: EnvironmentPlan, budget = NOTE_BUDGET): string {
  const omitted = new Set<ArtifactChange>();
  const bySize = [...(plan.artifacts ?? [])].sort((a, b) => b.diff.length - a.diff.length);
  let body = compose(plan, omitted);
  for (const artifact of bySize) {
    if (body.length <= budget) break;
    omitted.add(artifact);
    body = compose(plan, omitted);
  }
  if (body.length <= budget) return body;
  const note = '\n\n_The plan is cut here: it exceeds the size of a GitLab note. Run `modelgate plan` locally for all of it._\n';
  return body.slice(0, budget - note.length) + note;
}

function compose(plan: EnvironmentPlan, omitted: ReadonlySet<ArtifactChange>): string {
  const out: string[] = [planMarker(plan.environment), `### modelgate plan: \`${plan.environment}\``, ''];
  const { add, change, destroy } = plan.summary;
  const artifacts = plan.artifacts ?? [];
  const changed = add + change + destroy + artifacts.length > 0;
  const facts = isUnplanned(plan)
    ? [`**No plan** for \`${plan.environment}\`: the errors below stop it.`, `Compared with \`${plan.base}\`.`]
    : [
        changed ? `**${summaryLine(plan)}**` : '**No changes.**',
        `Compared with \`${plan.base}\`${plan.resources ? '' : ' (a build directory: counts are artifact files)'}.`,
      ];
  const files = artifactSummary(plan);
  if (files) facts.push(`Artifacts: ${files}.`);
  if (plan.saved) facts.push(`Saved plan: ${plan.saved.files} files, manifest \`${plan.saved.manifest}\` (deploy checks it).`);
  if (plan.policy)
    facts.push(
      `Policy: ${plan.policy.introduced.length} finding${plan.policy.introduced.length === 1 ? '' : 's'} introduced, ${plan.policy.fixed.length} fixed.`,
    );
  out.push(facts.join(' '), '');

  if (plan.errors.length > 0) {
    out.push(`:x: **${errorsHead(plan.errors.length)}** \`${plan.environment}\` from building:`, '');
    for (const d of plan.errors) out.push(`- \`${whereOf(d)}\` **${cell(d.ruleId)}**: ${cell(d.message)}`);
    out.push('');
  }

  // What the change breaks stays open; what it fixes folds away when it is a long list.
  const delta = plan.policy;
  if (delta && delta.introduced.length > 0) out.push(`**Introduced** by this change:`, '', ...findingTable(delta.introduced), '');
  if (delta && delta.fixed.length > 0) {
    const table = findingTable(delta.fixed).join('\n');
    out.push(
      ...(delta.fixed.length > OPEN_FINDINGS
        ? details(`Fixed by this change: ${delta.fixed.length} findings`, table)
        : ['**Fixed** by this change:', '', table]),
      '',
    );
  }

  if (plan.approvals)
    out.push('**Who must approve** (`modelgate approvals --check` waits for them):', '', ...approvalTable(plan.approvals), '');

  // The symbol stays in column 0 so GitLab's diff highlighting colours field lines too.
  const lines = (plan.resources ?? []).flatMap((r) => [
    `${ACTION_SYMBOL[r.action]} ${r.id}  ${changeLocation(r)}`,
    ...(r.effects ?? []).map((e) => `${e[0]}   ${e.slice(2)}`),
    ...r.fields.map((f) => `${fieldSymbol(f)}     ${describeField(f)}`),
  ]);
  if (lines.length > 0) {
    const block = codeBlock('diff', lines.join('\n'));
    out.push(...(lines.length > OPEN_LINES ? details(`Resources: ${resourceCounts(plan)}`, block) : ['**Resources**', '', block]), '');
  }

  if (plan.graph)
    out.push(...details('Diagram of what changed (green: added, red: removed)', codeBlock('mermaid', plan.graph.trimEnd())), '');

  if (artifacts.length > 0) {
    out.push('**Artifacts**', '');
    for (const a of artifacts) {
      const title = `${ACTION_SYMBOL[a.action]} ${a.target}/${a.file} (+${a.added} -${a.removed})`;
      const content = omitted.has(a)
        ? '_Diff left out to fit the note; run `modelgate plan` to see it._'
        : codeBlock('diff', a.diff.trimEnd());
      out.push(...details(cell(title), content));
    }
    out.push('');
  }
  return out.join('\n');
}

function resourceCounts(plan: EnvironmentPlan): string {
  const { add, change, destroy } = plan.summary;
  return `${add} to add, ${change} to change, ${destroy} to destroy`;
}

function details(summary: string, content: string): string[] {
  return [`<details><summary>${summary}</summary>`, '', content, '', '</details>'];
}

/** A fence longer than any run of backticks inside, so config text cannot close it early. */
function codeBlock(language: string, text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${text}\n${fence}`;
}

/** Text from the config inside a table cell or a list item: no HTML, no column breaks, one line. */
function cell(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function approvalTable({ teams, waivers }: NonNullable<EnvironmentPlan['approvals']>): string[] {
  const what = (items: readonly { id: string; why: string }[]) => items.map((r) => `\`${r.id}\` (${cell(r.why)})`).join('<br>');
  return [
    '| Who | Owners | What |',
    '| --- | --- | --- |',
    ...teams.map((t) => `| team ${cell(t.team)} | ${cell(t.members.join(', '))} | ${what(t.resources)} |`),
    ...waivers.map(
      (w) =>
        `| an owner of \`${cell(w.rule)}\` | ${cell((w.approvers ?? w.owners.map((o) => o.owner ?? o.team ?? '')).join(', '))} | ${what([{ id: w.id, why: `waives ${w.rule}` }])} |`,
    ),
  ];
}

function findingTable(findings: readonly Diagnostic[]): string[] {
  const rows = findings.map((d) => {
    const where = whereOf(d);
    return `| ${d.severity} | \`${d.ruleId}\` | ${d.resource ? `\`${d.resource}\`` : ''} | ${cell(d.message)}${where ? ` (\`${where}\`)` : ''} |`;
  });
  return ['| Severity | Rule | Resource | Finding |', '| --- | --- | --- | --- |', ...rows];
}
