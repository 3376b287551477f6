// Machine-readable plan: the plan data plus each field path in its printed form.
import type { Plan } from './types.ts';
import { formatPath } from './value-diff.ts';

/** Bumped when a field is removed or changes meaning; adding fields does not bump it. */
export const PLAN_JSON_VERSION = 1;

export function renderPlanJson(plan: Plan): string {
  const environments = plan.environments.map((env) => ({
    ...env,
    resources: env.resources?.map((r) => ({ ...r, fields: r.fields.map((f) => ({ field: formatPath(f.path), ...f })) })),
  }));
  return `${JSON.stringify({ planVersion: PLAN_JSON_VERSION, environments }, null, 2)}\n`;
}
