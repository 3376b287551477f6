// The glob dialect of Route aliases, shared by the compiler (IR, lint rules) and the gateway (which bundles this
// file, so it imports nothing). `*` matches any run of characters (the empty one too), `?` exactly one; every
// other character, `[`, `{` and `\` included, stands for itself. Matching is case-sensitive, like route names.

/** True when the alias is a pattern (holds `*` or `?`), false when it is an exact model id. */
export function isModelPattern(alias: string): boolean {
  return alias.includes('*') || alias.includes('?');
}

/** The characters before the first wildcard: every id the pattern matches starts with them. */
export function literalPrefix(pattern: string): string {
  const star = pattern.indexOf('*');
  const any = pattern.indexOf('?');
  const end = star < 0 ? any : any < 0 ? star : Math.min(star, any);
  return end < 0 ? pattern : pattern.slice(0, end);
}

/**
 * Most specific first: the longest literal prefix, then the most literal characters, then code-unit order.
 * `claude-sonnet-4-5*` comes before `claude-sonnet-*`, which comes before `claude-*`.
 */
export function bySpecificity(a: string, b: string): number {
  return literalPrefix(b).length - literalPrefix(a).length || literalCount(b) - literalCount(a) || (a < b ? -1 : a > b ? 1 : 0);
}

function literalCount(pattern: string): number {
  let n = 0;
  for (const c of pattern) if (c !== '*' && c !== '?') n++;
  return n;
}

/**
 * A matcher for one pattern. The pattern is cut at its `*`s: the first piece must start the id, the last must
 * end it, and the ones between are found leftmost, in order (leftmost is always safe, since a `*` absorbs
 * whatever lies between pieces). No backtracking: the work is at most the id's length times the pattern's.
 */
export function compileModelGlob(pattern: string): (id: string) => boolean {
  const pieces = pattern.split('*');
  const first = pieces[0]!;
  if (pieces.length === 1) return (id) => id.length === first.length && pieceAt(id, 0, first);
  const last = pieces[pieces.length - 1]!;
  const middle = pieces.slice(1, -1).filter((p) => p.length > 0);
  const minLength = pieces.reduce((n, p) => n + p.length, 0);
  return (id) => {
    if (id.length < minLength || !pieceAt(id, 0, first) || !pieceAt(id, id.length - last.length, last)) return false;
    let from = first.length;
    const end = id.length - last.length;
    for (const piece of middle) {
      const at = findPiece(id, piece, from, end);
      if (at < 0) return false;
      from = at + piece.length;
    }
    return true;
  };
}

/** Whether `piece` (literal characters and `?`) matches `id` at `at`. */
function pieceAt(id: string, at: number, piece: string): boolean {
  for (let i = 0; i < piece.length; i++) {
    const c = piece.charCodeAt(i);
    if (c !== QUESTION && c !== id.charCodeAt(at + i)) return false;
  }
  return true;
}

/** Leftmost position in [from, end - piece.length] where `piece` matches, or -1. */
function findPiece(id: string, piece: string, from: number, end: number): number {
  if (!piece.includes('?')) {
    const at = id.indexOf(piece, from);
    return at >= 0 && at + piece.length <= end ? at : -1;
  }
  for (let at = from; at + piece.length <= end; at++) if (pieceAt(id, at, piece)) return at;
  return -1;
}

const QUESTION = 0x3f;
