// A rule that reports "nothing refers to this" cannot know that while a resource that may refer to it is left out
// of the rules for its own (schema) errors: those findings wait until it is fixed.
import type { Diagnostic } from '../kernel/diagnostics.ts';
import type { AnyResource } from '../kernel/resource.ts';
import type { Rule } from './rule.ts';

/** `found[i]` is `rules[i]`'s findings; findings on a name some left-out resource of the kinds it names mentions are dropped. */
export function withoutUnsureAbsences(
  rules: readonly Rule[],
  found: readonly (readonly Diagnostic[])[],
  unchecked: readonly AnyResource[],
): (readonly Diagnostic[])[] {
  if (!unchecked.length) return [...found];
  return found.map((findings, i) => {
    const kinds = rules[i]?.referredToBy;
    if (!kinds || !findings.length) return findings;
    const mentioned = new Set<string>();
    for (const r of unchecked) if (kinds.includes(r.kind)) collectStrings((r.value as { spec?: unknown }).spec, mentioned);
    return mentioned.size ? findings.filter((d) => !mentioned.has(nameOf(d.resource))) : findings;
  });
}

const nameOf = (id: string | undefined): string => (id ? id.slice(id.indexOf('/') + 1) : '');

/** Every string in a document that failed its schema, however it is shaped: where its references would be. */
function collectStrings(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') into.add(value);
  else if (Array.isArray(value)) for (const v of value) collectStrings(v, into);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) collectStrings(v, into);
}
