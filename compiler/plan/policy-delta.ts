// Policy delta: which findings a change introduces and which it fixes. Findings are matched by what they
// say (rule, resource, severity, message), not where: an edit above a finding moves its line, not the finding.
import { sortDiagnostics, type Diagnostic } from '../diagnostics.ts';
import type { PolicyDelta } from './types.ts';

// The environment is left out: a plan compares one environment, and a finding may be tagged on one side and
// not the other (a finding every environment has is reported once, untagged).
const identity = (d: Diagnostic) => JSON.stringify([d.ruleId, d.resource ?? d.file, d.severity, d.message]);

/** Waived findings do not count: adding a PolicyException fixes the finding it waives. */
export function policyDelta(base: readonly Diagnostic[], head: readonly Diagnostic[]): PolicyDelta {
  const active = (ds: readonly Diagnostic[]) => ds.filter((d) => !d.suppressed);
  return { introduced: sortDiagnostics(missingFrom(active(head), active(base))), fixed: sortDiagnostics(missingFrom(active(base), active(head))) };
}

/** Members of `from` not matched in `other`, counting duplicates (two equal findings fixed once leaves one). */
function missingFrom(from: readonly Diagnostic[], other: readonly Diagnostic[]): Diagnostic[] {
  const remaining = new Map<string, number>();
  for (const d of other) remaining.set(identity(d), (remaining.get(identity(d)) ?? 0) + 1);
  return from.filter((d) => {
    const left = remaining.get(identity(d)) ?? 0;
    if (left > 0) remaining.set(identity(d), left - 1);
    return left === 0;
  });
}
