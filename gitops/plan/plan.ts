// Builds the plan of one environment from what the base and the head compile to. Pure; masks credentials
// here, once, so every renderer and the MR comment only ever see masked data.
import { hasErrors, type Diagnostic } from '../../kernel/diagnostics.ts';
import { diffGraphs, type Graph } from '../../reports/graph/index.ts';
import { diffArtifacts, type ArtifactSet } from './artifact-diff.ts';
import { maskFieldChange } from './mask-change.ts';
import { maskDiagnostic, maskText } from '../../kernel/mask.ts';
import { policyDelta } from './policy-delta.ts';
import { requiredApprovals, waivers } from '../owners/required.ts';
import { diffResources, type PlanResource } from './resource-diff.ts';
import type { EnvironmentPlan, PlanSummary, ResourceChange } from './types.ts';

/** What one side compiles to. A build directory has artifacts only; a side with errors has no artifacts. */
export interface PlanSide {
  resources?: readonly PlanResource[];
  artifacts?: ArtifactSet;
  diagnostics?: readonly Diagnostic[];
  /** Findings of the targets, known only when the side was built. */
  targetDiagnostics?: readonly Diagnostic[];
  /** The full graph of the side's IR (`graphFromIR`), when it compiled; both give the diagram of what changed. */
  graph?: Graph;
  /** What tells its own resources apart by content, when the compile has it: a cached base compares by it. */
  contentKey?: (resource: PlanResource) => string;
}

export function planEnvironment(environment: string, base: string, before: PlanSide, head: PlanSide): EnvironmentPlan {
  const after = { ...head, resources: withRefused(before.resources, head) };
  const resources =
    before.resources && after.resources ? diffResources(before.resources, after.resources).map(maskResourceChange) : undefined;
  const artifacts =
    before.artifacts && after.artifacts
      ? diffArtifacts(before.artifacts, after.artifacts).map((a) => ({ ...a, diff: maskText(a.diff) }))
      : undefined;
  // Target findings count only when both sides were built: a head with errors has none, not fewer.
  const built = Boolean(before.artifacts && after.artifacts);
  // Findings both sides share as one list (a base taken from the cache shares the head's) change nothing in the
  // delta: they are left out of the comparison.
  const same = before.targetDiagnostics === after.targetDiagnostics;
  const findings = (side: PlanSide) => [...(side.diagnostics ?? []), ...(built && !same ? (side.targetDiagnostics ?? []) : [])];
  const delta = before.diagnostics && after.diagnostics ? policyDelta(findings(before), findings(after)) : undefined;
  const policy = delta && { introduced: delta.introduced.map(maskDiagnostic), fixed: delta.fixed.map(maskDiagnostic) };
  const errors = [...(after.diagnostics ?? []), ...(after.targetDiagnostics ?? [])].filter((d) => hasErrors([d])).map(maskDiagnostic);
  const graph = before.graph && after.graph && before.graph !== after.graph ? diffGraphs(before.graph, after.graph) : null;
  const approvals =
    before.resources && after.resources
      ? { teams: requiredApprovals(before.resources, after.resources), waivers: waivers(before.resources, after.resources) }
      : undefined;
  return {
    environment,
    base,
    resources,
    artifacts,
    policy,
    errors,
    summary: summarize(resources ?? artifacts ?? []),
    ...(graph ? { graph } : {}),
    ...(approvals && approvals.teams.length + approvals.waivers.length > 0 ? { approvals } : {}),
  };
}

/**
 * The head's resources, and those it refused for schema errors as the base has them: compiling leaves a refused
 * resource out, which is no reason to plan it as destroyed (nor to ask its owners to approve); its errors are listed.
 */
function withRefused(base: readonly PlanResource[] | undefined, head: PlanSide): readonly PlanResource[] | undefined {
  if (!base || !head.resources) return head.resources;
  const refused = new Set((head.diagnostics ?? []).filter((d) => d.ruleId === 'schema' && hasErrors([d])).map((d) => d.resource));
  const kept = new Set(head.resources.map((r) => r.id));
  return [...head.resources, ...base.filter((r) => refused.has(r.id) && !kept.has(r.id))];
}

/** The plan of an environment that could not be planned at all (no such base, say): the reason, as its error. */
export function failedPlan(environment: string, base: string, reason: string): EnvironmentPlan {
  const error: Diagnostic = {
    ruleId: 'plan-failed',
    severity: 'error',
    message: maskText(reason),
    file: '',
    line: 0,
    column: 0,
    endLine: 0,
    endColumn: 0,
  };
  return { environment, base, errors: [error], summary: { add: 0, change: 0, destroy: 0 } };
}

export function hasChanges(plan: EnvironmentPlan): boolean {
  const { add, change, destroy } = plan.summary;
  return add + change + destroy > 0 || (plan.artifacts?.length ?? 0) > 0;
}

function summarize(changes: readonly { action: ResourceChange['action'] }[]): PlanSummary {
  const count = (action: ResourceChange['action']) => changes.filter((c) => c.action === action).length;
  return { add: count('add'), change: count('change'), destroy: count('destroy') };
}

function maskResourceChange(change: ResourceChange): ResourceChange {
  return { ...change, fields: change.fields.map(maskFieldChange), ...(change.effects ? { effects: change.effects.map(maskText) } : {}) };
}
