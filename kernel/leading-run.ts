// Keeps a user-written pattern that starts with an unbounded run (`[a-z]+@x`, `\S+=`) linear.
//
// Such a pattern is tried from every position of a long run and fails each time at its end: quadratic
// time (100 kB of letters: about 20 s). A match starting inside a run implies one starting where the
// run starts, which the search reaches first; so prefixing `(?<!atom)` skips the other positions
// without changing what is found.

/** Characters of the escape at `i` (`\d`, `\.`, `\x41`, `\u00e9`, `\cA`). */
function escapeLength(src: string, i: number): number {
  const kind = src[i + 1];
  if (kind === 'x' && /^[0-9a-fA-F]{2}$/.test(src.slice(i + 2, i + 4))) return 4;
  if (kind === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) return 6;
  if (kind === 'c' && /^[A-Za-z]$/.test(src[i + 2] ?? '')) return 3;
  return 2;
}

/** Characters of the class opening at `i`, up to its `]`. */
function classLength(src: string, i: number): number {
  let j = i + 1;
  if (src[j] === '^') j++;
  while (j < src.length && src[j] !== ']') j += src[j] === '\\' ? 2 : 1;
  return j + 1 - i;
}

/** Whether the quantifier at `i` is unbounded: `*`, `+`, `{n,}` (lazy or not). */
const unboundedAt = (src: string, i: number): boolean => src[i] === '*' || src[i] === '+' || /^\{\d+,\}/.test(src.slice(i, i + 24));

/** `src` with a lookbehind guard when it starts with one atom repeated without bound; else `src`. */
export function guardLeadingRun(src: string): string {
  const first = src[0];
  if (first === undefined || '()|^$*+?{'.includes(first)) return src;
  const atomLength = first === '\\' ? escapeLength(src, 0) : first === '[' ? classLength(src, 0) : 1;
  return unboundedAt(src, atomLength) ? `(?<!${src.slice(0, atomLength)})${src}` : src;
}
