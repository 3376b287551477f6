// One member's value found and replaced in JSON bytes without parsing them, so that bodies passed through keep
// every other byte (fields the gateway does not know included): the `model` of answers and stream events, the
// `model` and `max_tokens` of passthrough requests. Scans are depth-aware and allocate nothing.

const [QUOTE, BACKSLASH, OPEN, CLOSE, OPEN_ARRAY, CLOSE_ARRAY, COLON, COMMA, LF] = [0x22, 0x5c, 0x7b, 0x7d, 0x5b, 0x5d, 0x3a, 0x2c, 0x0a];

export type Range = [start: number, end: number];

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function skipSpace(b: Buffer, i: number): number {
  while (i < b.length && isSpace(b[i])) i++;
  return i;
}

/** Index just past the string whose opening quote is at `i`, or -1 when it does not end. */
function stringEnd(b: Buffer, i: number): number {
  for (let j = i + 1; j < b.length; j++) {
    if (b[j] === BACKSLASH) j++;
    else if (b[j] === QUOTE) return j + 1;
  }
  return -1;
}

/** Index just past the value starting at `i`, or -1 when it does not end. */
function valueEnd(b: Buffer, i: number): number {
  const c = b[i];
  if (c === QUOTE) return stringEnd(b, i);
  if (c === OPEN || c === OPEN_ARRAY) {
    let depth = 0;
    for (let j = i; j < b.length; j++) {
      const d = b[j];
      if (d === QUOTE) {
        j = stringEnd(b, j) - 1;
        if (j < 0) return -1;
      } else if (d === OPEN || d === OPEN_ARRAY) depth++;
      else if ((d === CLOSE || d === CLOSE_ARRAY) && --depth === 0) return j + 1;
    }
    return -1;
  }
  let j = i;
  while (j < b.length && b[j] !== COMMA && b[j] !== CLOSE && b[j] !== CLOSE_ARRAY && !isSpace(b[j])) j++;
  return j > i ? j : -1;
}

/** The member `readMember` read last (one object, reused: scans allocate nothing). */
const member = { key: 0, keyEnd: 0, start: 0, end: 0 };
const MALFORMED = -1;
const CLOSED = -2;

/** Index of the first key of the object opening at or after `from`: CLOSED when empty, MALFORMED when none. */
function firstMember(b: Buffer, from: number): number {
  const open = skipSpace(b, from);
  if (b[open] !== OPEN) return MALFORMED;
  const i = skipSpace(b, open + 1);
  return b[i] === CLOSE ? CLOSED : i;
}

/** Reads the member whose key starts at `i` into `member`; the index of the next key, CLOSED or MALFORMED. */
function readMember(b: Buffer, i: number): number {
  if (b[i] !== QUOTE) return MALFORMED;
  const keyEnd = stringEnd(b, i);
  if (keyEnd < 0) return MALFORMED;
  const colon = skipSpace(b, keyEnd);
  if (b[colon] !== COLON) return MALFORMED;
  const start = skipSpace(b, colon + 1);
  const end = valueEnd(b, start);
  if (end < 0) return MALFORMED;
  member.key = i + 1;
  member.keyEnd = keyEnd - 1;
  member.start = start;
  member.end = end;
  const next = skipSpace(b, end);
  if (b[next] === COMMA) return skipSpace(b, next + 1);
  return b[next] === CLOSE ? CLOSED : MALFORMED;
}

/** Whether the key `member` holds is `key` (keys written with escapes never match). */
function memberIs(b: Buffer, key: string): boolean {
  if (member.keyEnd - member.key !== key.length) return false;
  for (let k = 0; k < key.length; k++) if (b[member.key + k] !== key.charCodeAt(k)) return false;
  return true;
}

/**
 * Finds the value at `path` (member names, outermost first) in the object opening at or after `from` and leaves it
 * in `member`; false when it is not there. With duplicate keys, the first one: for answers, which providers write.
 */
function locate(b: Buffer, from: number, path: readonly string[]): boolean {
  let i = firstMember(b, from);
  for (let level = 0; level < path.length; level++) {
    for (;;) {
      if (i < 0) return false;
      i = readMember(b, i);
      if (i === MALFORMED) return false;
      if (memberIs(b, path[level])) break;
    }
    if (level === path.length - 1) return true;
    i = firstMember(b, member.start);
  }
  return false;
}

/** [start, end) of the value at `path` (see `locate`), or undefined. */
export function valueRange(b: Buffer, from: number, path: readonly string[]): Range | undefined {
  return locate(b, from, path) ? [member.start, member.end] : undefined;
}

/**
 * The value of each of `keys` among the top-level members of the JSON object `b` (undefined for a missing one):
 * undefined when one is given twice (a client's duplicate key could make the provider read another value than
 * the gateway did), or when `b` is not one well-formed object with members.
 */
export function uniqueMembers(b: Buffer, keys: readonly string[]): (Range | undefined)[] | undefined {
  const found: (Range | undefined)[] = keys.map(() => undefined);
  if (firstMember(b, 0) === CLOSED) return undefined;
  for (let i = firstMember(b, 0); i !== CLOSED; ) {
    if (i === MALFORMED) return undefined;
    i = readMember(b, i);
    if (i === MALFORMED) return undefined;
    const k = keys.findIndex((key) => memberIs(b, key));
    if (k < 0) continue;
    if (found[k]) return undefined;
    found[k] = [member.start, member.end];
  }
  return found;
}

/** `b` with [start, end) replaced by `text`: one allocation (pooled when small). */
export function replaceRange(b: Buffer, start: number, end: number, text: string): Buffer {
  const length = Buffer.byteLength(text);
  const out = Buffer.allocUnsafe(b.length - (end - start) + length);
  b.copy(out, 0, 0, start);
  out.write(text, start, 'utf8');
  b.copy(out, start + length, end);
  return out;
}

/** [start, end) of some bytes to be replaced by `text`. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** `b` with each of `edits` (ranges that do not overlap, in any order) made: one allocation, one copy. */
export function splice(b: Buffer, edits: Edit[]): Buffer {
  if (edits.length === 0) return b;
  if (edits.length === 1) return replaceRange(b, edits[0].start, edits[0].end, edits[0].text);
  edits.sort(byStart);
  let size = b.length;
  for (const e of edits) size += Buffer.byteLength(e.text) - (e.end - e.start);
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  let copied = 0;
  for (const e of edits) {
    at += b.copy(out, at, copied, e.start);
    at += out.write(e.text, at, 'utf8');
    copied = e.end;
  }
  b.copy(out, at, copied);
  return out;
}

const byStart = (a: Edit, b: Edit) => a.start - b.start;

/** Whether [start, end) of `b` holds exactly `text`. */
function holds(b: Buffer, start: number, end: number, text: string): boolean {
  if (end - start !== Buffer.byteLength(text)) return false;
  // Same byte length: equal character codes mean equal text when they are all ASCII.
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c > 0x7f) return b.toString('utf8', start, end) === text;
    if (b[start + k] !== c) return false;
  }
  return true;
}

/** `b` with the value at `path` replaced by `json` (JSON text); `b` itself when it already holds it or has none. */
export function withValue(b: Buffer, from: number, path: readonly string[], json: string): Buffer {
  if (!locate(b, from, path) || holds(b, member.start, member.end, json)) return b;
  return replaceRange(b, member.start, member.end, json);
}

const MODEL = ['model'];

/**
 * Sets every top-level `model` of the JSON objects in SSE bytes to `json`, in one copy (none when they all hold
 * it); one per stream. A JSON object on a `data:` line holds no raw line feed, so the next one is looked for past
 * the line. A provider starts every event of a stream with the same members (OpenAI: id, object, created, model):
 * an event whose bytes up to the end of its `model` are the last found one's has its `model` where that one's
 * was, found by one comparison of bytes instead of a scan of the members before it.
 */
export class ModelNamer {
  /** The last found event's bytes from its `{` to the end of its `model` (a string), and where the value starts. */
  private prefix: Buffer | undefined;
  private valueAt = 0;
  /** Whether that `model` holds `json` already. */
  private named = false;

  constructor(private readonly json: string) {}

  rename(b: Buffer): Buffer {
    const stale: Edit[] = [];
    for (let open = b.indexOf(OPEN); open >= 0; ) {
      if (this.find(b, open) && !this.named) stale.push({ start: member.start, end: member.end, text: this.json });
      const lineEnd = b.indexOf(LF, open);
      open = lineEnd < 0 ? -1 : b.indexOf(OPEN, lineEnd);
    }
    return splice(b, stale);
  }

  /** Leaves the `model` of the object opening at `open` in `member`, `named` saying whether it holds `json`. */
  private find(b: Buffer, open: number): boolean {
    const p = this.prefix;
    if (p !== undefined && open + p.length <= b.length && b.compare(p, 0, p.length, open, open + p.length) === 0) {
      // The same bytes scan the same way: the same member, holding the same value.
      member.start = open + this.valueAt;
      member.end = open + p.length;
      return true;
    }
    if (!locate(b, open, MODEL)) return false;
    this.named = holds(b, member.start, member.end, this.json);
    // Only a string ends with its own bytes: where a number ends depends on the byte after it. A copy: the
    // upstream's read buffer is not ours to keep.
    this.prefix = b[member.start] === QUOTE ? Buffer.from(b.subarray(open, member.end)) : undefined;
    this.valueAt = member.start - open;
    return true;
  }
}

const encoded = new Map<string, string>();
/** A model id as JSON text, remembered: the same few ids are asked for again and again. */
export function jsonText(model: string): string {
  let json = encoded.get(model);
  if (json === undefined) {
    // Aliases may be patterns matching ids clients make up: bounded, like any cache of client input.
    if (encoded.size >= 1024) encoded.clear();
    encoded.set(model, (json = JSON.stringify(model)));
  }
  return json;
}
