// Refuses regular expressions whose shape can backtrack catastrophically (ReDoS) before anyone runs them.
// Shared by the redaction rule, Policy `Matches` conditions, Policy assertion schemas and the Node runtime,
// so it imports nothing: the gateway bundle may carry it.

/** Longest pattern accepted; real redaction and policy patterns are far shorter. */
export const MAX_REGEX_LENGTH = 500;
/** A repetition bounded above this counts as unbounded: `(a+){1,1000}` is as slow as `(a+)*`. */
const LARGE_REPEAT = 10;

/**
 * Why `source` is unsafe or invalid as a JavaScript regular expression, or undefined when it is safe.
 * Refused: backreferences, a repeated group that contains a repetition (`(a+)+`), a repeated alternation whose
 * branches can start alike (`(a|ab)*`), and adjacent repetitions over overlapping characters (`\d+\d*`).
 */
export function checkSafeRegex(source: string): string | undefined {
  if (source.length > MAX_REGEX_LENGTH) return `it is longer than ${MAX_REGEX_LENGTH} characters`;
  try {
    new RegExp(source);
  } catch (e) {
    return `it is not a valid regular expression (${(e as Error).message.replace(/^Invalid regular expression: /, '')})`;
  }
  const parser = new Parser(source);
  return findUnsafe(parser.parseAlternatives());
}

// --- A small parser for the shape of a pattern (syntax was already checked by RegExp) ---

/** Characters as a set: one bit per ASCII code plus one flag for everything above. */
class CharSet {
  private readonly bits = new Uint32Array(4);
  private nonAscii = false;

  static of(...codes: number[]): CharSet {
    const set = new CharSet();
    for (const c of codes) set.add(c);
    return set;
  }
  static range(from: number, to: number): CharSet {
    const set = new CharSet();
    for (let c = from; c <= Math.min(to, 127); c++) set.add(c);
    if (to > 127) set.nonAscii = true;
    return set;
  }
  add(code: number): void {
    if (code > 127) this.nonAscii = true;
    else this.bits[code >> 5]! |= 1 << (code & 31);
  }
  union(other: CharSet): CharSet {
    const set = new CharSet();
    for (let i = 0; i < 4; i++) set.bits[i] = this.bits[i]! | other.bits[i]!;
    set.nonAscii = this.nonAscii || other.nonAscii;
    return set;
  }
  complement(): CharSet {
    const set = new CharSet();
    for (let i = 0; i < 4; i++) set.bits[i] = ~this.bits[i]!;
    set.nonAscii = true;
    return set;
  }
  intersects(other: CharSet): boolean {
    for (let i = 0; i < 4; i++) if ((this.bits[i]! & other.bits[i]!) !== 0) return true;
    return this.nonAscii && other.nonAscii;
  }
}

const DIGIT = CharSet.range(48, 57);
const WORD = DIGIT.union(CharSet.range(65, 90)).union(CharSet.range(97, 122)).union(CharSet.of(95));
const SPACE = CharSet.of(9, 10, 11, 12, 13, 32).union(CharSet.range(128, 0xffff));
const LINE_BREAKS = CharSet.of(10, 13);
const ANY_BUT_NEWLINE = LINE_BREAKS.complement();
const EMPTY = new CharSet();

interface Repeat {
  min: number;
  max: number; // Infinity when unbounded
}

type Node =
  | { type: 'chars'; set: CharSet; repeat?: Repeat }
  | { type: 'group'; alternatives: Node[][]; repeat?: Repeat }
  | { type: 'assertion'; lookaround?: Node[][]; repeat?: Repeat }
  | { type: 'backreference'; repeat?: Repeat };

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  parseAlternatives(): Node[][] {
    const alternatives: Node[][] = [[]];
    while (this.pos < this.src.length && this.src[this.pos] !== ')') {
      if (this.src[this.pos] === '|') {
        this.pos++;
        alternatives.push([]);
        continue;
      }
      const node = this.parseAtom();
      node.repeat = this.parseRepeat();
      alternatives[alternatives.length - 1]!.push(node);
    }
    return alternatives;
  }

  private parseAtom(): Node {
    const c = this.src[this.pos++]!;
    switch (c) {
      case '^':
      case '$':
        return { type: 'assertion' };
      case '.':
        return { type: 'chars', set: ANY_BUT_NEWLINE };
      case '[':
        return { type: 'chars', set: this.parseClass() };
      case '(':
        return this.parseGroup();
      case '\\':
        return this.parseEscape(false);
      default:
        return { type: 'chars', set: CharSet.of(c.codePointAt(0)!) };
    }
  }

  private parseGroup(): Node {
    let lookaround = false;
    if (this.src.startsWith('?', this.pos)) {
      const head = /^\?(?::|=|!|<=|<!|<[^>]*>)/.exec(this.src.slice(this.pos))![0];
      lookaround = head !== '?:' && !/^\?<[^=!]/.test(head);
      this.pos += head.length;
    }
    const alternatives = this.parseAlternatives();
    this.pos++; // ')'
    return lookaround ? { type: 'assertion', lookaround: alternatives } : { type: 'group', alternatives };
  }

  private parseEscape(inClass: boolean): Node & { type: 'chars' | 'assertion' | 'backreference' } {
    const c = this.src[this.pos++] ?? '\\';
    const chars = (set: CharSet) => ({ type: 'chars' as const, set });
    switch (c) {
      case 'd': return chars(DIGIT);
      case 'D': return chars(DIGIT.complement());
      case 'w': return chars(WORD);
      case 'W': return chars(WORD.complement());
      case 's': return chars(SPACE);
      case 'S': return chars(SPACE.complement());
      case 'n': return chars(CharSet.of(10));
      case 'r': return chars(CharSet.of(13));
      case 't': return chars(CharSet.of(9));
      case 'b': return inClass ? chars(CharSet.of(8)) : { type: 'assertion' };
      case 'B': return { type: 'assertion' };
      case 'k':
        if (this.src[this.pos] === '<') {
          this.pos = this.src.indexOf('>', this.pos) + 1;
          return { type: 'backreference' };
        }
        return chars(CharSet.of(107));
      case 'x':
      case 'u': {
        const hex = /^(?:\{[0-9a-fA-F]+\}|[0-9a-fA-F]{4}|[0-9a-fA-F]{2})/.exec(this.src.slice(this.pos))?.[0];
        if (!hex) return chars(CharSet.of(c.charCodeAt(0)));
        this.pos += hex.length;
        return chars(CharSet.of(parseInt(hex.replace(/[{}]/g, ''), 16)));
      }
      default:
        if (/[1-9]/.test(c) && !inClass) return { type: 'backreference' };
        return chars(CharSet.of(c.codePointAt(0)!));
    }
  }

  private parseClass(): CharSet {
    const negated = this.src[this.pos] === '^';
    if (negated) this.pos++;
    let set = new CharSet();
    while (this.pos < this.src.length && this.src[this.pos] !== ']') {
      const lo = this.classAtom();
      if (this.src[this.pos] === '-' && this.src[this.pos + 1] !== ']' && lo.single !== undefined) {
        this.pos++;
        const hi = this.classAtom();
        set = set.union(hi.single !== undefined ? CharSet.range(lo.single, hi.single) : lo.set.union(hi.set));
      } else {
        set = set.union(lo.set);
      }
    }
    this.pos++; // ']'
    return negated ? set.complement() : set;
  }

  private classAtom(): { set: CharSet; single?: number } {
    const c = this.src[this.pos++]!;
    if (c !== '\\') return { set: CharSet.of(c.codePointAt(0)!), single: c.codePointAt(0)! };
    const node = this.parseEscape(true);
    const set = node.type === 'chars' ? node.set : EMPTY;
    const escaped = this.src[this.pos - 1]!;
    return /[dDwWsS]/.test(escaped) ? { set } : { set, single: firstCode(set) };
  }

  private parseRepeat(): Repeat | undefined {
    const m = /^(?:([*+?])|\{(\d+)(,(\d*))?\})\??/.exec(this.src.slice(this.pos));
    if (!m) return undefined;
    this.pos += m[0].length;
    if (m[1] === '*') return { min: 0, max: Infinity };
    if (m[1] === '+') return { min: 1, max: Infinity };
    if (m[1] === '?') return { min: 0, max: 1 };
    const min = Number(m[2]);
    return { min, max: m[3] === undefined ? min : m[4] === '' ? Infinity : Number(m[4]) };
  }
}

function firstCode(set: CharSet): number | undefined {
  for (let c = 0; c < 128; c++) if (CharSet.of(c).intersects(set)) return c;
  return undefined;
}

// --- The checks ---

const repeats = (n: Node): boolean => (n.repeat?.max ?? 1) > 1;
const large = (n: Node): boolean => (n.repeat?.max ?? 1) > LARGE_REPEAT;
const nullable = (n: Node): boolean =>
  n.type === 'assertion' || (n.repeat?.min ?? 1) === 0 || (n.type === 'group' && n.alternatives.some((a) => a.every(nullable)));

/** Every character the node can consume. */
function charsOf(n: Node): CharSet {
  if (n.type === 'chars') return n.set;
  if (n.type === 'group') return n.alternatives.flat().reduce((s, c) => s.union(charsOf(c)), EMPTY);
  return EMPTY;
}

/** Characters a sequence can start with. */
function firstChars(sequence: Node[]): CharSet {
  let set = EMPTY;
  for (const n of sequence) {
    set = set.union(n.type === 'group' ? n.alternatives.reduce((s, a) => s.union(firstChars(a)), EMPTY) : charsOf(n));
    if (!nullable(n)) break;
  }
  return set;
}

/**
 * Whether each pass of a repeated group must cross a required character the repetition at `k` cannot eat,
 * so that consecutive passes split the input one way only (`([a-z]+\.)+` is linear, `(\w+\s?)+` is not).
 */
function hasClearBoundary(sequence: Node[], k: number): boolean {
  const chars = charsOf(sequence[k]!);
  for (let step = 1; step < sequence.length; step++) {
    const next = sequence[(k + step) % sequence.length]!;
    if (charsOf(next).intersects(chars)) return false;
    if (!nullable(next)) return true;
  }
  return false;
}

const containsRepeat = (n: Node): boolean => n.type === 'group' && n.alternatives.some((a) => a.some((m) => repeats(m) || containsRepeat(m)));
const unboundedWithin = (n: Node): boolean => large(n) || (n.type === 'group' && n.alternatives.some((a) => a.some(unboundedWithin)));

function ambiguousRepeat(group: Node & { type: 'group' }): boolean {
  return group.alternatives.some((sequence) =>
    sequence.some(
      (n, k) => (repeats(n) || containsRepeat(n)) && (large(group) || unboundedWithin(n)) && !hasClearBoundary(sequence, k),
    ),
  );
}

function overlappingBranches(group: Node & { type: 'group' }): boolean {
  const starts = group.alternatives.map(firstChars);
  return starts.some((a, i) => starts.slice(i + 1).some((b) => a.intersects(b)));
}

function findUnsafe(alternatives: Node[][]): string | undefined {
  for (const sequence of alternatives) {
    for (let i = 0; i < sequence.length; i++) {
      const n = sequence[i]!;
      if (n.type === 'backreference') return 'it uses a backreference';
      if (n.type === 'assertion' && n.lookaround) {
        const inner = findUnsafe(n.lookaround);
        if (inner) return inner;
      }
      const next = sequence[i + 1];
      if (n.type === 'chars' && next && large(n) && large(next) && charsOf(n).intersects(charsOf(next))) {
        return 'two adjacent repetitions can match the same characters (as in `\\d+\\d*`)';
      }
      if (n.type !== 'group') continue;
      if (repeats(n) && ambiguousRepeat(n)) return 'a repeated group contains a repetition that can split the input many ways (as in `(a+)+`)';
      if (repeats(n) && overlappingBranches(n)) return 'a repeated alternation has branches that can match alike (as in `(a|ab)*`)';
      const inner = findUnsafe(n.alternatives);
      if (inner) return inner;
    }
  }
  return undefined;
}
