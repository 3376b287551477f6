// PolicyException documents: waive a rule or policy for matching resources until the expiry date.
import picomatch from 'picomatch';
import type { Diagnostic } from '../kernel/diagnostics.ts';
import type { CoreRuleId } from '../kernel/rule-registry.ts';
import type { Resource } from '../kernel/resource.ts';
import { didYouMean } from '../kernel/suggest.ts';

type Exception = Resource<'PolicyException'>;

interface ActiveException {
  doc: Exception;
  waives: (resourceId: string) => boolean;
  used: boolean;
}

/**
 * Marks waived findings `suppressed` (they stay in the list, for json/sarif) and reports the exceptions
 * themselves: unknown rule (error), expired (error, and it waives nothing), in force but unused (warning).
 * An exception limited to other environments is out of scope here and says nothing; so does an unused one whose
 * resources include one of `unchecked` (left out of the rules for its own errors): whether it waives anything is
 * not known until those errors are fixed, and a warning then would only follow from them.
 */
export function applyExceptions(
  diagnostics: readonly Diagnostic[],
  exceptions: readonly Exception[],
  environment: string,
  today: string,
  known: ReadonlySet<string>,
  unchecked: readonly string[] = [],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const active = new Map<string, ActiveException[]>();
  for (const doc of exceptions) {
    const spec = doc.value.spec;
    const report = (ruleId: CoreRuleId, severity: Diagnostic['severity'], path: string[], message: string, hint: string): void => {
      out.push({ ruleId, severity, message, hint, resource: doc.id, ...doc.locate(path) });
    };
    if (!known.has(spec.rule)) {
      report(
        'exception-unknown-rule',
        'error',
        ['spec', 'rule'],
        `PolicyException ${doc.name} waives "${spec.rule}", which is neither a built-in rule nor a Policy.${didYouMean(spec.rule, known)}`,
        'Name a rule id from `modelgate rules` or the metadata.name of a Policy.',
      );
      continue;
    }
    if (spec.environments && !spec.environments.includes(environment)) continue;
    if (today > spec.expires) {
      report(
        'exception-expired',
        'error',
        ['spec', 'expires'],
        `PolicyException ${doc.name} (${spec.rule}, owner ${spec.owner}) expired on ${spec.expires}; the findings it waived count again.`,
        'Fix the findings and delete the exception, or agree a new expiry date with its owner.',
      );
      continue;
    }
    const list = active.get(spec.rule) ?? [];
    list.push({ doc, waives: picomatch(spec.resources), used: false });
    active.set(spec.rule, list);
  }

  for (const d of diagnostics) {
    const waiver = d.resource === undefined ? undefined : active.get(d.ruleId)?.find((e) => e.waives(d.resource!));
    if (!waiver) {
      out.push(d);
      continue;
    }
    waiver.used = true;
    const { owner, reason } = waiver.doc.value.spec;
    out.push({ ...d, suppressed: { exception: waiver.doc.id, owner, reason } });
  }

  for (const e of [...active.values()].flat()) {
    if (e.used || unchecked.some((id) => e.waives(id))) continue;
    out.push({
      ruleId: 'exception-unused',
      severity: 'warning',
      message: `PolicyException ${e.doc.name} waives nothing: no ${e.doc.value.spec.rule} finding matches its resources in environment ${environment}.`,
      hint: 'Delete it if the findings are fixed, or limit it with `spec.environments` to where they occur.',
      resource: e.doc.id,
      ...e.doc.locate(['spec', 'resources']),
    });
  }
  return out;
}
