// Estimates how deeply a YAML text nests, without parsing it. yaml's parser recurses once per level, and a few
// thousand levels overflow the stack; V8 does not always survive that (it can abort the process while compiling a
// regular expression near the limit), so such files are refused before the parser sees them.

/**
 * Offset at which `text` first nests deeper than `limit`, or undefined. Flow brackets count outside quoted
 * scalars and comments; a line counts its indentation in columns plus its compact `- ` / `? ` entries. The
 * estimate errs high for odd but shallow text (brackets in prose), so the limit sits far above real configs.
 */
export function excessiveNesting(text: string, limit: number): number | undefined {
  let flow = 0;
  let i = 0;
  while (i < text.length) {
    let block = 0;
    for (; text[i] === ' ' || ((text[i] === '-' || text[i] === '?') && text[i + 1] === ' '); i++) {
      if (++block + flow > limit) return i;
    }
    for (; i < text.length && text[i] !== '\n'; i++) {
      const c = text[i];
      if (c === '#' && /\s/.test(text[i - 1] ?? ' ')) {
        while (i < text.length && text[i] !== '\n') i++;
        break;
      }
      if ((c === '"' || c === "'") && startsScalar(text, i)) i = closingQuote(text, i);
      else if (c === '[' || c === '{') {
        if (block + ++flow > limit) return i;
      } else if ((c === ']' || c === '}') && flow > 0) flow--;
    }
    i++;
  }
  return undefined;
}

/** A quote opens a scalar only where a value can start: `don't` is plain text, not a quoted string. */
function startsScalar(text: string, at: number): boolean {
  let j = at - 1;
  while (text[j] === ' ') j--;
  return j < 0 || '\n:,[{-?'.includes(text[j]!);
}

/** Offset of the quote closing the one at `at` (`\"` escapes in double quotes, `''` in single ones). */
function closingQuote(text: string, at: number): number {
  const quote = text[at];
  for (let j = at + 1; j < text.length; j++) {
    if (quote === '"' && text[j] === '\\') j++;
    else if (text[j] === quote) {
      if (quote === "'" && text[j + 1] === "'") j++;
      else return j;
    }
  }
  return text.length;
}
