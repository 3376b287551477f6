// Resource-level plan: effective resources of the base and of the head, matched by `kind/name`.
import { KINDS } from '../../schema/kinds.ts';
import type { AnyResource, DocPath } from '../../kernel/resource.ts';
import type { ResourceChange } from './types.ts';
import { guardrailEffects, type GuardrailsByName } from './guardrail-attachments.ts';
import { mcpGrantEffects } from './mcp-grants.ts';
import { promptContractEffects } from './prompt-contract.ts';
import { routeStrategyEffects } from './route-strategy.ts';
import { diffValues, leaves } from './value-diff.ts';

export type PlanResource = Pick<AnyResource, 'id' | 'kind' | 'name' | 'value' | 'file'> & Partial<Pick<AnyResource, 'locate'>>;

/**
 * Environments are left out: an overlay's effect shows in the resources it patches, and its rule
 * severities in the policy delta.
 */
export function diffResources(base: readonly PlanResource[], head: readonly PlanResource[]): ResourceChange[] {
  const planned = (rs: readonly PlanResource[]) => new Map(rs.filter((r) => r.kind !== 'Environment').map((r) => [r.id, r]));
  const before = planned(base);
  const after = planned(head);
  const changes: ResourceChange[] = [];
  for (const [id, r] of after) {
    const old = before.get(id);
    if (!old) changes.push({ action: 'add', id, kind: r.kind, name: r.name, ...where(r, []), fields: contentLeaves(r, 'add') });
    else {
      const fields = diffValues(old.value, r.value);
      // Point at the first change: for a patched resource that is the overlay, not the base file.
      const first = fields[0];
      if (first)
        changes.push({ action: 'change', id, kind: r.kind, name: r.name, ...where(first.op === 'remove' ? old : r, first.path), fields });
    }
  }
  for (const [id, r] of before) {
    if (!after.has(id))
      changes.push({ action: 'destroy', id, kind: r.kind, name: r.name, ...where(r, []), fields: contentLeaves(r, 'remove') });
  }
  const guardrails = { before: guardrailsOf(base), after: guardrailsOf(head) };
  for (const change of changes) {
    const [was, now] = [before.get(change.id)?.value, after.get(change.id)?.value];
    const effects = [
      ...(EFFECTS[change.kind]?.(was, now) ?? []),
      ...(change.kind === 'AccessPolicy' || change.kind === 'Route' ? guardrailEffects(change.kind, was, now, guardrails) : []),
    ];
    if (effects.length) change.effects = effects;
  }
  return changes.sort(byKindThenName);
}

/**
 * What a change means in words, for the kinds where field diffs do not say it: MCP grants, prompt endpoints, route
 * strategies (guardrail attachments: see above).
 */
const EFFECTS: Partial<Record<ResourceChange['kind'], (before: unknown, after: unknown) => string[]>> = {
  AccessPolicy: mcpGrantEffects,
  Prompt: promptContractEffects,
  Route: routeStrategyEffects,
};

function guardrailsOf(rs: readonly PlanResource[]): GuardrailsByName {
  return new Map(rs.filter((r) => r.kind === 'Guardrail').map((r) => [r.name, r]));
}

function where(r: PlanResource, path: DocPath): { file: string; line?: number } {
  const location = r.locate?.(path);
  return location ? { file: location.file, line: location.line } : { file: r.file };
}

/** Leaves other than the identity (`apiVersion`, `kind`, `metadata.name`), which the resource id already says. */
function contentLeaves(r: PlanResource, op: 'add' | 'remove') {
  const identity = (p: readonly (string | number)[]) =>
    (p.length === 1 && (p[0] === 'apiVersion' || p[0] === 'kind')) || (p.length === 2 && p[0] === 'metadata' && p[1] === 'name');
  return leaves(r.value, op).filter((f) => !identity(f.path));
}

function byKindThenName(a: ResourceChange, b: ResourceChange): number {
  return KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}
