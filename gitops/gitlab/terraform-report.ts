// GitLab's Terraform report (`artifacts: reports: terraform`): counts that show as a plan widget in the
// merge request, with no API token needed.
import type { EnvironmentPlan } from '../plan/types.ts';

export interface TerraformReport {
  create: number;
  update: number;
  delete: number;
}

/** One widget per job: for several environments in one job the counts add up. */
export function terraformReport(plans: readonly EnvironmentPlan[]): TerraformReport {
  const sum = (pick: (p: EnvironmentPlan) => number) => plans.reduce((n, p) => n + pick(p), 0);
  return { create: sum((p) => p.summary.add), update: sum((p) => p.summary.change), delete: sum((p) => p.summary.destroy) };
}
