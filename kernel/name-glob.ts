// Globs over names in grants (`list_*`, `github-*`, `repo://acme/*`): `*` is any run of characters (`/` included),
// `?` one character, everything else itself: the dialect of Route aliases, matched by model-glob.ts without
// backtracking. Pure: the gateway bundles it.
import { compileModelGlob, isModelPattern } from './model-glob.ts';

/** True when the grant is a pattern (holds `*` or `?`): the same test as for aliases. */
export const isGlob = isModelPattern;

/** Whether `name` matches `pattern` as a whole (the matcher of Route aliases: one dialect, one implementation). */
export const globMatches = (pattern: string, name: string): boolean => compileModelGlob(pattern)(name);

/** A test of names against several patterns: true when any matches. */
export function anyGlob(patterns: readonly string[]): (name: string) => boolean {
  if (patterns.includes('*')) return () => true;
  const exact = new Set(patterns.filter((p) => !isGlob(p)));
  const globs = patterns.filter(isGlob).map(compileModelGlob);
  return (name) => exact.has(name) || globs.some((matches) => matches(name));
}
