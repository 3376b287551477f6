// Refuses regular expressions whose shape can backtrack catastrophically (ReDoS) before anyone runs them.
// Shared by the redaction rule, Policy `Matches` conditions, Policy assertion schemas and the Node runtime
// (whose bundle carries regexpp). The pattern is parsed by regexpp; the analysis of its tree is ours.
import { type AST, RegExpParser } from '@eslint-community/regexpp';

/** Longest pattern accepted; real redaction and policy patterns are far shorter. */
export const MAX_REGEX_LENGTH = 500;
/** A repetition bounded above this counts as unbounded: `(a+){1,1000}` is as slow as `(a+)*`. */
const LARGE_REPEAT = 10;

const parser = new RegExpParser();

/**
 * Why `source` is unsafe or invalid as a JavaScript regular expression, or undefined when it is safe.
 * Refused: backreferences, a repeated group that contains a repetition (`(a+)+`), a repeated alternation whose
 * branches can start alike (`(a|ab)*`), and adjacent repetitions over overlapping characters (`\d+\d*`).
 */
export function checkSafeRegex(source: string): string | undefined {
  if (source.length > MAX_REGEX_LENGTH) return `it is longer than ${MAX_REGEX_LENGTH} characters`;
  let pattern: AST.Pattern;
  try {
    // RegExp first: the engine that will run the pattern decides what is valid. Parsed as it is run, without flags.
    new RegExp(source);
    pattern = parser.parsePattern(source);
  } catch (e) {
    return `it is not a valid regular expression (${(e as Error).message.replace(/^Invalid regular expression: /, '')})`;
  }
  return findUnsafe(pattern.alternatives);
}

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

// --- The checks, on regexpp's tree: an element is an atom, possibly under a quantifier ---

type Element = AST.Element;
type Group = AST.Group | AST.CapturingGroup;

const atom = (n: Element) => (n.type === 'Quantifier' ? n.element : n);
const groupOf = (n: Element): Group | undefined => {
  const a = atom(n);
  return a.type === 'Group' || a.type === 'CapturingGroup' ? a : undefined;
};
const repeats = (n: Element): boolean => n.type === 'Quantifier' && n.max > 1;
const large = (n: Element): boolean => n.type === 'Quantifier' && n.max > LARGE_REPEAT;
const nullable = (n: Element): boolean =>
  (n.type === 'Quantifier' && n.min === 0) ||
  atom(n).type === 'Assertion' ||
  !!groupOf(n)?.alternatives.some((a) => a.elements.every(nullable));

/** Characters a literal, escape, class or class range matches; undefined for any other node. */
function charSet(n: AST.Node): CharSet | undefined {
  switch (n.type) {
    case 'Character':
      return CharSet.of(n.value);
    case 'CharacterClassRange':
      return CharSet.range(n.min.value, n.max.value);
    case 'CharacterSet': {
      // The last branch is `.`: `\p{…}` needs the u flag, which patterns are parsed without.
      const set = n.kind === 'digit' ? DIGIT : n.kind === 'word' ? WORD : n.kind === 'space' ? SPACE : ANY_BUT_NEWLINE;
      return n.kind !== 'any' && n.negate ? set.complement() : set;
    }
    case 'CharacterClass': {
      let set = EMPTY;
      for (const e of n.elements) set = set.union(charSet(e) ?? EMPTY);
      return n.negate ? set.complement() : set;
    }
    default:
      return undefined;
  }
}

/** Every character the element can consume. */
function charsOf(n: Element): CharSet {
  const group = groupOf(n);
  if (group) return group.alternatives.flatMap((a) => a.elements).reduce((s, c) => s.union(charsOf(c)), EMPTY);
  return charSet(atom(n)) ?? EMPTY;
}

/** Characters a sequence can start with. */
function firstChars(sequence: Element[]): CharSet {
  let set = EMPTY;
  for (const n of sequence) {
    const group = groupOf(n);
    set = set.union(group ? group.alternatives.reduce((s, a) => s.union(firstChars(a.elements)), EMPTY) : charsOf(n));
    if (!nullable(n)) break;
  }
  return set;
}

/**
 * Whether each pass of a repeated group must cross a required character the repetition at `k` cannot eat,
 * so that consecutive passes split the input one way only (`([a-z]+\.)+` is linear, `(\w+\s?)+` is not).
 */
function hasClearBoundary(sequence: Element[], k: number): boolean {
  const chars = charsOf(sequence[k]!);
  for (let step = 1; step < sequence.length; step++) {
    const next = sequence[(k + step) % sequence.length]!;
    if (charsOf(next).intersects(chars)) return false;
    if (!nullable(next)) return true;
  }
  return false;
}

const containsRepeat = (n: Element): boolean =>
  !!groupOf(n)?.alternatives.some((a) => a.elements.some((m) => repeats(m) || containsRepeat(m)));
const unboundedWithin = (n: Element): boolean => large(n) || !!groupOf(n)?.alternatives.some((a) => a.elements.some(unboundedWithin));

/** Whether the repeated element `n`, whose atom is `group`, holds a repetition that can split the input many ways. */
function ambiguousRepeat(n: Element, group: Group): boolean {
  return group.alternatives.some(({ elements }) =>
    elements.some((m, k) => (repeats(m) || containsRepeat(m)) && (large(n) || unboundedWithin(m)) && !hasClearBoundary(elements, k)),
  );
}

function overlappingBranches(group: Group): boolean {
  const starts = group.alternatives.map((a) => firstChars(a.elements));
  return starts.some((a, i) => starts.slice(i + 1).some((b) => a.intersects(b)));
}

function findUnsafe(alternatives: AST.Alternative[]): string | undefined {
  for (const { elements } of alternatives) {
    for (let i = 0; i < elements.length; i++) {
      const n = elements[i]!;
      const a = atom(n);
      if (a.type === 'Backreference') return 'it uses a backreference';
      if (a.type === 'Assertion' && (a.kind === 'lookahead' || a.kind === 'lookbehind')) {
        const inner = findUnsafe(a.alternatives);
        if (inner) return inner;
      }
      const chars = charSet(a);
      const next = elements[i + 1];
      if (chars && next && large(n) && large(next) && chars.intersects(charsOf(next))) {
        return 'two adjacent repetitions can match the same characters (as in `\\d+\\d*`)';
      }
      const group = groupOf(n);
      if (!group) continue;
      if (repeats(n) && ambiguousRepeat(n, group))
        return 'a repeated group contains a repetition that can split the input many ways (as in `(a+)+`)';
      if (repeats(n) && overlappingBranches(group)) return 'a repeated alternation has branches that can match alike (as in `(a|ab)*`)';
      const inner = findUnsafe(group.alternatives);
      if (inner) return inner;
    }
  }
  return undefined;
}
