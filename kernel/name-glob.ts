// Globs over names in grants (`list_*`, `github-*`, `repo://acme/*`): `*` is any run of characters (`/` included),
// `?` one character, everything else itself. Matched without regular expressions, in O(name × pattern) at worst,
// so a hostile name or pattern cannot make it backtrack. Pure: the gateway bundles it.

export const isGlob = (pattern: string): boolean => pattern.includes('*') || pattern.includes('?');

/** Whether `name` matches `pattern` as a whole. */
export function globMatches(pattern: string, name: string): boolean {
  let p = 0;
  let n = 0;
  // Where the last `*` was, and the name position it is currently taken to cover up to.
  let star = -1;
  let covered = 0;
  while (n < name.length) {
    const c = pattern[p];
    if (c === '*') {
      star = p++;
      covered = n;
    } else if (p < pattern.length && (c === '?' || c === name[n])) {
      p++;
      n++;
    } else if (star >= 0) {
      p = star + 1;
      n = ++covered;
    } else return false;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/** A test of names against several patterns: true when any matches. */
export function anyGlob(patterns: readonly string[]): (name: string) => boolean {
  if (patterns.includes('*')) return () => true;
  const exact = new Set(patterns.filter((p) => !isGlob(p)));
  const globs = patterns.filter(isGlob);
  return (name) => exact.has(name) || globs.some((g) => globMatches(g, name));
}
