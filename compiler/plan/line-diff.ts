// Unified line diff (Myers' O(ND) algorithm) of two texts, for showing artifact changes in a plan.

export interface LineDiff {
  /** `---`/`+++` header and `@@` hunks; empty when the texts are equal. */
  text: string;
  added: number;
  removed: number;
}

export interface LineDiffOptions {
  /** Name shown in the header; `null` on one side means the file does not exist there (`/dev/null`). */
  from: string | null;
  to: string | null;
  context?: number;
  /** Give up (and say so) past this many changed lines: a rewrite is not worth reading line by line. */
  maxEdits?: number;
}

const NO_EOL = '\\ No newline at end of file';

interface Line {
  text: string;
  /** The last line of a text that does not end with a newline. */
  noEol: boolean;
}

type Op = { kind: ' ' | '-' | '+'; line: Line };

function splitLines(text: string): Line[] {
  if (text === '') return [];
  const parts = text.split('\n');
  const noEol = parts[parts.length - 1] !== '';
  if (!noEol) parts.pop();
  return parts.map((t, i) => ({ text: t, noEol: noEol && i === parts.length - 1 }));
}

const same = (a: Line, b: Line) => a.text === b.text && a.noEol === b.noEol;

export function unifiedDiff(before: string, after: string, options: LineDiffOptions): LineDiff {
  if (before === after) return { text: '', added: 0, removed: 0 };
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = shortestEdit(a, b, options.maxEdits ?? 2000);
  const header = `--- ${options.from === null ? '/dev/null' : `a/${options.from}`}\n+++ ${options.to === null ? '/dev/null' : `b/${options.to}`}\n`;
  if (!ops) {
    return { text: `${header}(${a.length} lines before, ${b.length} after: too many changes to show line by line)\n`, added: b.length, removed: a.length };
  }
  const added = ops.filter((o) => o.kind === '+').length;
  const removed = ops.filter((o) => o.kind === '-').length;
  return { text: header + hunks(ops, options.context ?? 3), added, removed };
}

/** Edit script from `a` to `b`, or undefined when it needs more than `maxEdits` inserts and deletes. */
function shortestEdit(a: Line[], b: Line[], maxEdits: number): Op[] | undefined {
  // Common ends are cheap to strip and keep the quadratic part small.
  let start = 0;
  while (start < a.length && start < b.length && same(a[start], b[start])) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && same(a[endA - 1], b[endB - 1])) {
    endA--;
    endB--;
  }
  const middle = myers(a.slice(start, endA), b.slice(start, endB), maxEdits);
  if (!middle) return undefined;
  const keep = (lines: Line[]): Op[] => lines.map((line) => ({ kind: ' ', line }));
  return [...keep(a.slice(0, start)), ...middle, ...keep(a.slice(endA))];
}

function myers(a: Line[], b: Line[], maxEdits: number): Op[] | undefined {
  const n = a.length;
  const m = b.length;
  const maxD = Math.min(n + m, maxEdits);
  // v[offset + k] = furthest x on diagonal k. Each round keeps the slice of v it can read (k in -d-1..d+1)
  // for the backtrack: O(D²) memory instead of O((N+M)·D).
  const offset = maxD + 1;
  const v = new Int32Array(2 * maxD + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= maxD; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && same(a[x], b[y])) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b);
    }
  }
  return undefined;
}

function backtrack(trace: Int32Array[], a: Line[], b: Line[]): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const at = (k: number) => trace[d][k + d + 1];
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : at(prevK);
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      ops.push({ kind: ' ', line: a[x] });
    }
    if (d > 0) ops.push(x === prevX ? { kind: '+', line: b[--y] } : { kind: '-', line: a[--x] });
  }
  return ops.reverse();
}

function hunks(ops: Op[], context: number): string {
  const changed = ops.flatMap((o, i) => (o.kind === ' ' ? [] : [i]));
  let out = '';
  let i = 0;
  while (i < changed.length) {
    // Extend the hunk while the next change is within two contexts of the last one.
    let j = i;
    while (j + 1 < changed.length && changed[j + 1] - changed[j] <= 2 * context) j++;
    const from = Math.max(0, changed[i] - context);
    const to = Math.min(ops.length, changed[j] + context + 1);
    out += hunk(ops, from, to);
    i = j + 1;
  }
  return out;
}

function hunk(ops: Op[], from: number, to: number): string {
  const count = (kinds: string, end: number) => ops.slice(0, end).filter((o) => kinds.includes(o.kind)).length;
  const oldStart = count(' -', from);
  const newStart = count(' +', from);
  const oldLen = count(' -', to) - oldStart;
  const newLen = count(' +', to) - newStart;
  const range = (start: number, len: number) => `${len === 0 ? start : start + 1},${len}`;
  let out = `@@ -${range(oldStart, oldLen)} +${range(newStart, newLen)} @@\n`;
  for (const o of ops.slice(from, to)) out += `${o.kind}${o.line.text}\n${o.line.noEol ? `${NO_EOL}\n` : ''}`;
  return out;
}
