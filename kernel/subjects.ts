// Which consumers an access policy applies to. The IR keeps a policy's subjects as written (named consumers and a
// label selector), so that it grows with the repo rather than with policies × consumers; everything that needs
// the consumer list (the gateway at load, the targets, the reports) resolves it here, the one place that does.
// Structurally typed, so that the bundled gateway can import it without the compiler.

/** An access policy's subjects as the IR keeps them. */
export interface IRSubjects {
  /** Consumer names written in the policy, sorted. */
  consumers: string[];
  /** Every consumer carrying all these labels is a subject too; absent when the policy selects by name only. */
  labels?: Record<string, string>;
}

interface Labelled {
  name: string;
  labels: Readonly<Record<string, string>>;
}

/**
 * Resolves policies' subjects against `ir.consumers`: returns the sorted, distinct names a policy applies to (the
 * named ones, present or not, plus those its labels select). Consumers are indexed by label once, so resolving
 * every policy of a config costs the size of the answers, not policies × consumers.
 */
export function consumersOf(ir: { consumers: readonly Labelled[] }): (policy: { subjects: IRSubjects }) => string[] {
  const byLabel = new Map<string, Map<string, Labelled[]>>();
  for (const c of ir.consumers) {
    for (const [key, value] of Object.entries(c.labels)) {
      let values = byLabel.get(key);
      if (!values) byLabel.set(key, (values = new Map()));
      const list = values.get(value);
      if (list) list.push(c);
      else values.set(value, [c]);
    }
  }
  // Per policy object: readers ask again for the same policy (once per route it is granted on).
  const resolved = new WeakMap<IRSubjects, string[]>();
  return ({ subjects }) => {
    let names = resolved.get(subjects);
    if (!names) resolved.set(subjects, (names = resolve(subjects, byLabel)));
    return names;
  };
}

function resolve(subjects: IRSubjects, byLabel: ReadonlyMap<string, ReadonlyMap<string, readonly Labelled[]>>): string[] {
  const selector = Object.entries(subjects.labels ?? {});
  if (selector.length === 0) return subjects.consumers;
  // The rarest of the selector's labels narrows the candidates; the others are checked on those.
  let candidates: readonly Labelled[] | undefined;
  for (const [key, value] of selector) {
    const list = byLabel.get(key)?.get(value) ?? [];
    if (!candidates || list.length < candidates.length) candidates = list;
  }
  const selected = candidates!.filter((c) => selector.every(([k, v]) => c.labels[k] === v)).map((c) => c.name);
  return [...new Set([...subjects.consumers, ...selected])].sort();
}
