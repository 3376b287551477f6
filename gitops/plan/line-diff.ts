// Unified line diff of two texts, for showing artifact changes in a plan; the edit script is jsdiff's (Myers).
import { diffArrays } from 'diff';

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

/**
 * A line is its text; the last line of a text that does not end with a newline keeps a `\n` of its own
 * (no other line can hold one), so that it differs from the same text with a newline, as in `diff`.
 */
type Line = string;

type Op = { kind: ' ' | '-' | '+'; line: Line };

/** Chunk in which common ends are compared before going character by character. */
const CHUNK = 4096;

export function unifiedDiff(before: string, after: string, options: LineDiffOptions): LineDiff {
  if (before === after) return { text: '', added: 0, removed: 0 };
  const context = options.context ?? 3;
  const header = `--- ${options.from === null ? '/dev/null' : `a/${options.from}`}\n+++ ${options.to === null ? '/dev/null' : `b/${options.to}`}\n`;
  // Only the lines between the common first and last lines are split and compared: a one-line change in a
  // multi-megabyte artifact costs a scan of both texts, not a line array of each.
  const start = commonHead(before, after);
  const [endBefore, endAfter] = commonTail(before, after, start);
  const middle = editScript(splitLines(before.slice(start, endBefore)), splitLines(after.slice(start, endAfter)), options.maxEdits ?? 2000);
  if (!middle) {
    const [a, b] = [lineCount(before), lineCount(after)];
    return { text: `${header}(${a} lines before, ${b} after: too many changes to show line by line)\n`, added: b, removed: a };
  }
  const leadStart = linesBack(before, start, context);
  const keep = (text: string): Op[] => splitLines(text).map((line) => ({ kind: ' ', line }));
  const ops = [
    ...keep(before.slice(leadStart, start)),
    ...middle,
    ...keep(before.slice(endBefore, linesForward(before, endBefore, context))),
  ];
  const added = middle.filter((o) => o.kind === '+').length;
  const removed = middle.filter((o) => o.kind === '-').length;
  return { text: header + hunks(ops, context, lineCount(before.slice(0, leadStart))), added, removed };
}

function splitLines(text: string): Line[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  else lines[lines.length - 1] += '\n';
  return lines;
}

function lineCount(text: string): number {
  let count = text === '' || text.endsWith('\n') ? 0 : 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/** Offset of the first line that differs; the texts are the same before it, and it starts a line in both. */
function commonHead(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i + CHUNK <= n && a.slice(i, i + CHUNK) === b.slice(i, i + CHUNK)) i += CHUNK;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i === 0 ? 0 : a.lastIndexOf('\n', i - 1) + 1;
}

/** Offsets in `a` and `b` where their common last lines start, not before `start`. */
function commonTail(a: string, b: string, start: number): [number, number] {
  let i = a.length;
  let j = b.length;
  while (i - CHUNK >= start && j - CHUNK >= start && a.slice(i - CHUNK, i) === b.slice(j - CHUNK, j)) {
    i -= CHUNK;
    j -= CHUNK;
  }
  while (i > start && j > start && a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
    i--;
    j--;
  }
  const startsLine = (text: string, at: number) => at === start || text.charCodeAt(at - 1) === 10;
  if (startsLine(a, i) && startsLine(b, j)) return [i, j];
  // Inside the common part a newline is one in both texts: the first one ends the partial line.
  const newline = a.indexOf('\n', i);
  if (newline < 0) return [a.length, b.length];
  return [newline + 1, j + newline + 1 - i];
}

/** Offset of the start of the `count`-th line before the line starting at `at`. */
function linesBack(text: string, at: number, count: number): number {
  let from = at;
  for (let k = 0; k < count && from > 0; k++) from = from < 2 ? 0 : text.lastIndexOf('\n', from - 2) + 1;
  return from;
}

/** Offset just past `count` lines from the line starting at `at` (or the end of the text). */
function linesForward(text: string, at: number, count: number): number {
  let to = at;
  for (let k = 0; k < count && to < text.length; k++) {
    const newline = text.indexOf('\n', to);
    to = newline < 0 ? text.length : newline + 1;
  }
  return to;
}

/** Edit script from `a` to `b`, or undefined when it needs more than `maxEdits` inserts and deletes. */
function editScript(a: Line[], b: Line[], maxEdits: number): Op[] | undefined {
  // jsdiff would search maxEdits rounds to find out what the lengths tell (an added or deleted file).
  if (Math.abs(a.length - b.length) > maxEdits) return undefined;
  const changes = diffArrays(a, b, { maxEditLength: maxEdits });
  return changes?.flatMap((c) => {
    const kind = c.added ? '+' : c.removed ? '-' : ' ';
    return c.value.map((line) => ({ kind, line }));
  });
}

/** Hunks of `ops`, whose first line is line `firstLine` (0-based) of both texts. */
function hunks(ops: Op[], context: number, firstLine: number): string {
  // Lines of the old and of the new text before each op: the hunk headers' start lines.
  const oldAt = new Int32Array(ops.length + 1);
  const newAt = new Int32Array(ops.length + 1);
  ops.forEach((o, i) => {
    oldAt[i + 1] = oldAt[i] + (o.kind === '+' ? 0 : 1);
    newAt[i + 1] = newAt[i] + (o.kind === '-' ? 0 : 1);
  });
  const changed = ops.flatMap((o, i) => (o.kind === ' ' ? [] : [i]));
  const range = (start: number, len: number) => `${len === 0 ? start : start + 1},${len}`;
  let out = '';
  let i = 0;
  while (i < changed.length) {
    // Extend the hunk while the next change is within two contexts of the last one.
    let j = i;
    while (j + 1 < changed.length && changed[j + 1] - changed[j] <= 2 * context) j++;
    const from = Math.max(0, changed[i] - context);
    const to = Math.min(ops.length, changed[j] + context + 1);
    out += `@@ -${range(firstLine + oldAt[from], oldAt[to] - oldAt[from])} +${range(firstLine + newAt[from], newAt[to] - newAt[from])} @@\n`;
    for (const o of ops.slice(from, to)) out += o.line.endsWith('\n') ? `${o.kind}${o.line}${NO_EOL}\n` : `${o.kind}${o.line}\n`;
    i = j + 1;
  }
  return out;
}
