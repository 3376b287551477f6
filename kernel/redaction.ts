// Removes personal data from request text before it leaves for a provider.
//
// Every built-in detector is linear on hostile input: a lookbehind keeps a match from starting inside
// a run it could have started at the beginning of, and repetitions are either bounded or separated
// by a character the repeated part cannot hold. Checksums (Luhn, IBAN mod 97) run only on matches.
// Texts without digits skip the numeric detectors, so typical prose costs a scan or two.
import type * as T from '../schema/types.ts';
import { asciiSet } from './ascii-set.ts';
import { guardLeadingRun } from './leading-run.ts';
import { checkSafeRegex } from './safe-regex.ts';

/** The check `modelgate validate` applies to the same patterns, so a config it accepts also starts. */
export { checkSafeRegex };

type Redaction = Required<T.Redaction>;
type Pii = T.PiiDetector;

interface Detector {
  /** Finds only digit-bearing data: skipped for texts without digits. */
  numeric: boolean;
  run: (text: string) => string;
}

const label = (name: string) => `[REDACTED:${name}]`;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double && (d *= 2) > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}

/** ISO 13616: move the country code and check digits to the end, letters to numbers, mod 97 = 1. */
function ibanValid(compact: string): boolean {
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const code = rearranged.charCodeAt(i);
    const value = code >= 65 ? code - 55 : code - 48;
    remainder = (value > 9 ? remainder * 100 + value : remainder * 10 + value) % 97;
  }
  return remainder === 1;
}

/**
 * A card or IBAN regex may take in a neighbouring group (`4111 1111 1111 1111 2024`). When the whole
 * match fails its checksum, the longest run of whole groups that passes is redacted instead.
 */
function redactValidGroups(
  name: string,
  minLength: number,
  maxLength: number,
  valid: (compact: string) => boolean,
): (match: string) => string {
  const replacement = label(name);
  return (match) => {
    const compact = match.replace(/[ -]/g, '');
    if (compact.length <= maxLength && valid(compact)) return replacement;
    // Groups as [start, end) in `match` and in `compact`.
    const groups: { start: number; end: number; from: number; to: number }[] = [];
    for (let i = 0, offset = 0; i < match.length; ) {
      let j = i;
      while (j < match.length && match[j] !== ' ' && match[j] !== '-') j++;
      groups.push({ start: i, end: j, from: offset, to: offset + j - i });
      offset += j - i;
      i = j + 1;
    }
    let best: { start: number; end: number; length: number } | undefined;
    for (let a = 0; a < groups.length; a++) {
      for (let b = groups.length - 1; b >= a; b--) {
        const length = groups[b].to - groups[a].from;
        if (length < minLength || (best && length <= best.length)) break;
        if (length <= maxLength && valid(compact.slice(groups[a].from, groups[b].to))) {
          best = { start: groups[a].start, end: groups[b].end, length };
        }
      }
    }
    return best ? match.slice(0, best.start) + replacement + match.slice(best.end) : match;
  };
}

const keep = (name: string, accept: (match: string) => boolean) => {
  const replacement = label(name);
  return (match: string) => (accept(match) ? replacement : match);
};

const replacing =
  (regex: RegExp, replace: (match: string) => string) =>
  (text: string): string =>
    text.replace(regex, replace);

const EMAIL_LOCAL = new Uint8Array(128);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.%+-') EMAIL_LOCAL[c.charCodeAt(0)] = 1;
const EMAIL_DOMAIN = /(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}(?![\w-])/y;
const EMAIL = label('email');

/** Finds each `@` with indexOf and grows the address around it: far cheaper than a regex scan of prose. */
function redactEmails(text: string): string {
  let at = text.indexOf('@');
  if (at < 0) return text;
  let out = '';
  let copied = 0;
  while (at >= 0) {
    let start = at;
    while (start > copied && EMAIL_LOCAL[text.charCodeAt(start - 1)] === 1) start--;
    EMAIL_DOMAIN.lastIndex = at + 1;
    if (start < at && EMAIL_DOMAIN.test(text)) {
      out += text.slice(copied, start) + EMAIL;
      copied = EMAIL_DOMAIN.lastIndex;
      at = text.indexOf('@', copied);
    } else {
      at = text.indexOf('@', at + 1);
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

const phoneShape = keep('phone', (match) => {
  const digits = match.replace(/\D/g, '').length;
  if (match[0] === '+') return digits >= 8 && digits <= 15;
  // Trunk-0 national numbers; a dot mixed with other separators is a date and time (01.02.2024 10).
  if (match[0] === '0') return digits >= 9 && digits <= 12 && !(match.includes('.') && /[ /-]/.test(match));
  return true;
});

/** Run in this order: an IBAN or a card number must not be half-taken by the phone patterns. */
const BUILT_IN: [Pii, Detector[]][] = [
  ['email', [{ numeric: false, run: redactEmails }]],
  [
    'iban',
    [
      {
        numeric: true,
        run: replacing(/(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![A-Za-z0-9])/g, redactValidGroups('iban', 15, 34, ibanValid)),
      },
    ],
  ],
  ['card', [{ numeric: true, run: replacing(/(?<![\d-])\d(?:[ -]?\d){12,18}(?!\d)/g, redactValidGroups('card', 13, 19, luhn)) }]],
  [
    'ipv4',
    [
      {
        numeric: true,
        run: replacing(/(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w]|\.\d)/g, () =>
          label('ipv4'),
        ),
      },
    ],
  ],
  [
    'phone',
    [
      // International (E.164, grouped or not): +44 20 7946 0958, +1-202-555-0143, +4915112345678, +44 (0)20 7946 0958.
      {
        numeric: true,
        run: replacing(/(?<![\w+])\+[1-9]\d{0,2}(?:[ .-]?\(\d{1,4}\))?[ .-]?\d{1,14}(?:[ .-]\d{1,14}){0,6}(?![\w-]|\.\d)/g, phoneShape),
      },
      // North American: (202) 555-0143, 202-555-0143, 202.555.0143, 1 202 555 0143.
      { numeric: true, run: replacing(/(?<![\w+(.-])(?:1[ .-]?)?(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}(?![\w-]|\.\d)/g, phoneShape) },
      // National with a trunk 0: 020 7946 0958, 07700 900123, 030 12345678, 01 23 45 67 89, 0171/1234567.
      { numeric: true, run: replacing(/(?<![\w+(./-])0\d{1,4}(?:[ ./-]\d{2,8}){1,4}(?![\w/-]|\.\d)/g, phoneShape) },
    ],
  ],
];

const DIGIT = /\d/;

/**
 * Redacts `text`, of which what comes before `from` was redacted before (a stream's window, whose matches there
 * were reported then): the numeric detectors skip a text whose new part cannot change what they find.
 */
export type WindowRedactor = (text: string, from: number) => string;

/**
 * A function redacting what the policy asks for, or null when it asks for nothing (the caller then
 * skips redaction entirely). Custom patterns are checked with `checkSafeRegex`, guarded against
 * leading runs and compiled once; an unsafe one throws here, at start-up or reload, never per request.
 */
export function createRedactor(redaction: Redaction): ((text: string) => string) | null {
  const redact = createWindowRedactor(redaction);
  // Not the window redactor itself: callers pass it to `map` and `replace`, which would give it a `from`.
  return redact && ((text) => redact(text, 0));
}

/** The same as a `WindowRedactor`, for a text seen in parts (a stream's sliding window). */
export function createWindowRedactor(redaction: Redaction): WindowRedactor | null {
  const detectors: Detector[] = [];
  for (const [pii, builtIn] of BUILT_IN) if (redaction.pii.includes(pii)) detectors.push(...builtIn);
  for (const { name, regex } of redaction.patterns) {
    const reason = checkSafeRegex(regex);
    if (reason) throw new Error(`redaction pattern ${name} is refused: ${reason}`);
    const replacement = label(name);
    // Zero-width matches (`\b`) are left alone rather than filled with labels.
    detectors.push({ numeric: false, run: replacing(new RegExp(guardLeadingRun(regex), 'g'), (m) => (m === '' ? m : replacement)) });
  }
  if (detectors.length === 0) return null;
  // Most texts (a stream's window above all) have no digit: those run through the other detectors alone, without
  // a test per detector.
  const textual = detectors.filter((d) => !d.numeric);
  // Custom patterns run after the numeric detectors, on what they left: those must always run.
  const skippable = redaction.patterns.length === 0;
  return (text, from) => {
    let out = text;
    const numeric = (from === 0 || !skippable || numericNews(text, from)) && DIGIT.test(text);
    for (const d of numeric ? detectors : textual) out = d.run(out);
    return out;
  };
}

/**
 * Whether the text from `from` on (appended to text already redacted) could give a numeric detector a match it did
 * not have: a digit or capital such a match could end on (an IBAN may end on a letter), or a first character that
 * could continue the word, number or address before it (which can make an address reaching back into the earlier
 * text, or break a match ending there: either changes which earlier digits the numeric detectors see). Otherwise
 * every numeric match lies in the earlier text, already found there.
 */
function numericNews(text: string, from: number): boolean {
  if (CONTINUES_WORD[text.charCodeAt(from)] === 1) return true;
  DIGIT_OR_CAPITAL.lastIndex = from;
  return DIGIT_OR_CAPITAL.test(text);
}

const DIGIT_OR_CAPITAL = /[\dA-Z]/g;
const CONTINUES_WORD = asciiSet('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.%+-@');
