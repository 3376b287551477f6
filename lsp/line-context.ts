// Where the cursor is in a block-style YAML document, read from the lines alone: the path of the mapping or
// list it is in, and whether it is on a key or on a value. Completion needs this while the document is half
// typed and does not parse; hover uses the same reading.
import type { Position, Range } from 'vscode-languageserver';

export type Step = string | number;

export interface LineContext {
  /** The `kind:` of the document the cursor is in, when written. */
  kind?: string;
  /** Path of the mapping (or list item) the cursor's line belongs to. */
  container: Step[];
  /** On `key: value` lines, the key. */
  key?: string;
  /** The word being typed or pointed at, and its range: a key, a value, or a list item. */
  word: string;
  range: Range;
  /** `value` after `key:`, `item` after `- `, `key` where a key goes. */
  slot: 'key' | 'value' | 'item';
  /** The lines of the document, and the index of the cursor's line in them, for reading a sibling's value. */
  lines: string[];
  line: number;
}

interface Entry {
  indent: number;
  step: Step;
  dash: boolean;
}

interface Tokens {
  dashes: number[];
  /** Column where the content after the dashes starts. */
  content: number;
  key?: string;
  /** Column where the value after `key:` starts. */
  valueAt?: number;
}

const KEY = /^("[^"]*"|'[^']*'|[^\s:#'"-][^:#]*?|-[^\s:#][^:#]*?):(?=\s|$)/;

function tokenize(line: string): Tokens {
  const dashes: number[] = [];
  let at = line.length - line.trimStart().length;
  for (let m = /^-(\s+|$)/.exec(line.slice(at)); m; m = /^-(\s+|$)/.exec(line.slice(at))) {
    dashes.push(at);
    at += m[0].length;
  }
  const key = KEY.exec(line.slice(at));
  if (!key) return { dashes, content: at };
  const after = at + key[0].length;
  const valueAt = after + (line.slice(after).length - line.slice(after).trimStart().length);
  return { dashes, content: at, key: unquote(key[1]!.trim()), valueAt };
}

function unquote(text: string): string {
  return /^(["']).*\1$/.test(text) ? text.slice(1, -1) : text;
}

function isSkipped(line: string): boolean {
  const trimmed = line.trim();
  return trimmed === '' || trimmed.startsWith('#');
}

class PathStack {
  readonly entries: Entry[] = [];

  dash(column: number): void {
    let popped: Entry | undefined;
    while (this.top && (this.top.indent > column || (this.top.indent === column && this.top.dash))) popped = this.entries.pop();
    const index = popped?.dash && popped.indent === column ? (popped.step as number) + 1 : 0;
    this.entries.push({ indent: column, step: index, dash: true });
  }

  key(column: number, key: string | undefined): void {
    while (this.top && this.top.indent >= column) this.entries.pop();
    if (key !== undefined) this.entries.push({ indent: column, step: key, dash: false });
  }

  get top(): Entry | undefined {
    return this.entries.at(-1);
  }

  get path(): Step[] {
    return this.entries.map((e) => e.step);
  }
}

export function lineContext(text: string, position: Position): LineContext {
  const all = text.split('\n').map((l) => l.replace(/\r$/, ''));
  let start = 0;
  for (let i = position.line; i >= 0; i--) {
    if (/^---/.test(all[i] ?? '') && i < position.line) {
      start = i + 1;
      break;
    }
  }
  let end = all.length;
  for (let i = position.line + 1; i < all.length; i++) {
    if (/^(---|\.\.\.)/.test(all[i]!)) {
      end = i;
      break;
    }
  }
  const lines = all.slice(start, end);
  const line = position.line - start;
  const kind = lines.map((l) => /^kind:\s*["']?([A-Za-z]+)/.exec(l)?.[1]).find(Boolean);
  const stack = new PathStack();
  for (const l of lines.slice(0, line)) {
    if (isSkipped(l)) continue;
    const t = tokenize(l);
    for (const d of t.dashes) stack.dash(d);
    if (t.key !== undefined) stack.key(t.content, t.key);
  }
  const current = lines[line] ?? '';
  const t = tokenize(current);
  for (const d of t.dashes) stack.dash(d);
  const base = { kind, lines, line };
  const wordAround = (from: number): { word: string; range: Range } => {
    const rest = current.slice(from);
    const length = rest.length - rest.trimStart().length;
    const begin = from + length;
    const match = /^[^\s#]*/.exec(current.slice(begin))![0];
    const word = unquote(match);
    const range = { start: { line: position.line, character: begin }, end: { line: position.line, character: begin + match.length } };
    return { word, range };
  };
  if (t.key !== undefined && position.character > t.content + t.key.length) {
    stack.key(t.content, t.key);
    return { ...base, container: stack.path.slice(0, -1), key: t.key, slot: 'value', ...wordAround(t.valueAt!) };
  }
  stack.key(t.content, undefined);
  const slot = t.dashes.length > 0 && t.key === undefined ? 'item' : 'key';
  return { ...base, container: stack.path, ...(t.key === undefined ? {} : { key: t.key }), slot, ...wordAround(t.content) };
}

/**
 * The scalar written at a path of the cursor's document (`spec.targets[0].provider` beside the `model` being
 * typed, a patch's `target.kind`), also as an entry of a flow mapping (`target: { kind: Route, name: x }`).
 */
export function valueAt(context: LineContext, path: readonly Step[]): string | undefined {
  const stack = new PathStack();
  const same = (a: readonly Step[], b: readonly Step[]) => a.length === b.length && a.every((step, i) => step === b[i]);
  for (const line of context.lines) {
    if (isSkipped(line)) continue;
    const t = tokenize(line);
    for (const d of t.dashes) stack.dash(d);
    if (t.key === undefined) continue;
    stack.key(t.content, t.key);
    const value = line
      .slice(t.valueAt)
      .replace(/\s+#.*$/, '')
      .trim();
    if (same(stack.path, path)) return unquote(value);
    const flow =
      same(stack.path, path.slice(0, -1)) && value.startsWith('{') && new RegExp(`[{,]\\s*${String(path.at(-1))}:\\s*([^,}]+)`).exec(value);
    if (flow) return unquote(flow[1]!.trim());
  }
  return undefined;
}
