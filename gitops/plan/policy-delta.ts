// Policy delta: which findings a change introduces and which it fixes. Findings are matched by what they
// say (rule, resource, severity, message), not where: an edit above a finding moves its line, not the finding.
import { sortDiagnostics, type Diagnostic } from '../../kernel/diagnostics.ts';
import type { PolicyDelta } from './types.ts';

// The environment is left out: a plan compares one environment, and a finding may be tagged on one side and
// not the other (a finding every environment has is reported once, untagged).
// Each part is prefixed with its length, so that no two findings share a key.
const identity = (d: Diagnostic) =>
  [d.ruleId, d.resource ?? d.file, d.severity, d.message].map((part) => `${part.length}:${part}`).join('');

/** Waived findings do not count: adding a PolicyException fixes the finding it waives. */
export function policyDelta(base: readonly Diagnostic[], head: readonly Diagnostic[]): PolicyDelta {
  // Each finding's identity is worked out once: a large repo's targets report tens of thousands.
  const active = (ds: readonly Diagnostic[]): Keyed[] => ds.filter((d) => !d.suppressed).map((d) => [identity(d), d]);
  const [before, after] = [active(base), active(head)];
  return { introduced: sortDiagnostics(missingFrom(after, before)), fixed: sortDiagnostics(missingFrom(before, after)) };
}

type Keyed = [key: string, finding: Diagnostic];

/** Members of `from` not matched in `other`, counting duplicates (two equal findings fixed once leaves one). */
function missingFrom(from: readonly Keyed[], other: readonly Keyed[]): Diagnostic[] {
  const remaining = new Map<string, number>();
  for (const [key] of other) remaining.set(key, (remaining.get(key) ?? 0) + 1);
  const missing: Diagnostic[] = [];
  for (const [key, d] of from) {
    const left = remaining.get(key) ?? 0;
    if (left > 0) remaining.set(key, left - 1);
    else missing.push(d);
  }
  return missing;
}
