// Terraform-style text plan for terminals and CI logs.
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
import type { EnvironmentPlan, Plan } from './types.ts';

export interface TextOptions {
  /** ANSI colours; only on a TTY and never with NO_COLOR (the caller decides). */
  color?: boolean;
}

const COLORS = { '+': 32, '~': 33, '-': 31, '@': 36, bold: 1 } as const;

export function renderPlanText(plan: Plan, options: TextOptions = {}): string {
  return plan.environments.map((env) => renderEnvironmentText(env, options)).join('\n');
}

export function renderEnvironmentText(plan: EnvironmentPlan, options: TextOptions = {}): string {
  const paint = (code: number, text: string) => (options.color ? `\x1b[${code}m${text}\x1b[0m` : text);
  // Coloured by the symbol that starts the line: after the indent in the plan, in column 0 in a diff.
  const byMark = (mark: string, line: string) => {
    const code = COLORS[mark as keyof typeof COLORS];
    return typeof code === 'number' ? paint(code, line) : line;
  };
  const bySymbol = (line: string) => byMark(line.trimStart()[0], line);
  const diffLine = (line: string) => (line.startsWith('---') || line.startsWith('+++') ? paint(COLORS.bold, line) : byMark(line[0], line));
  const out: string[] = [paint(COLORS.bold, `Environment ${plan.environment} (against ${plan.base})`), ''];

  if (!plan.resources && !isUnplanned(plan)) out.push('The base is a build directory: artifacts are compared, counts are files.', '');
  for (const r of plan.resources ?? []) {
    out.push(`${bySymbol(`  ${ACTION_SYMBOL[r.action]} ${r.id}`)}  ${changeLocation(r)}`);
    for (const effect of r.effects ?? []) out.push(bySymbol(`    ${effect}`));
    for (const f of r.fields) out.push(bySymbol(`      ${fieldSymbol(f)} ${describeField(f)}`));
    out.push('');
  }

  const artifacts = plan.artifacts ?? [];
  if (artifacts.length > 0) {
    out.push(`Artifacts: ${artifactSummary(plan)}`);
    for (const a of artifacts) out.push(bySymbol(`  ${ACTION_SYMBOL[a.action]} ${a.target}/${a.file} (+${a.added} -${a.removed})`));
    out.push('');
    for (const a of artifacts) out.push(...a.diff.trimEnd().split('\n').map(diffLine), '');
  }

  if (plan.policy && plan.policy.introduced.length + plan.policy.fixed.length > 0) {
    out.push('Policy:');
    for (const d of plan.policy.introduced) out.push(paint(COLORS['-'], `  + introduced ${finding(d)}`));
    for (const d of plan.policy.fixed) out.push(paint(COLORS['+'], `  - fixed      ${finding(d)}`));
    out.push('');
  }

  if (plan.errors.length > 0) {
    out.push(paint(COLORS['-'], `${errorsHead(plan.errors.length)} ${plan.environment} from building:`));
    for (const d of plan.errors) out.push(`  ${whereOf(d)} ${d.ruleId}: ${d.message}`);
    out.push('');
  }

  const { add, change, destroy } = plan.summary;
  if (plan.saved) out.push(`Saved plan: ${plan.saved.files} files, manifest ${plan.saved.manifest}.`);
  if (isUnplanned(plan)) out.push(`No plan for ${plan.environment}: the errors above stop it.`);
  else
    out.push(
      add + change + destroy + artifacts.length === 0
        ? `No changes. ${plan.environment} matches ${plan.base}.`
        : paint(COLORS.bold, summaryLine(plan)),
    );
  return `${out.join('\n')}\n`;
}

function finding(d: Diagnostic): string {
  return `${d.severity} ${d.ruleId}${d.resource ? ` ${d.resource}` : ''} ${whereOf(d)}: ${d.message}`;
}
