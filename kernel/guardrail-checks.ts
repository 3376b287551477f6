// The built-in guardrail checkers: personal data (the redaction detectors), credentials (the detectors the
// compiler runs on the config), denied words and a size cap. Pure and synchronous, so that the gateway runs them
// inline (on every stream chunk too) and `modelgate validate` runs a guardrail's test cases offline.
import type * as T from '../schema/types.ts';
import { createWindowRedactor } from './redaction.ts';
import { hasKnownSecretFrom, knownSecretKind, redactSecrets } from './secrets.ts';

export type BuiltInCheck =
  | ({ type: 'pii' } & Required<T.PiiCheck>)
  | { type: 'secrets' }
  | ({ type: 'deniedTopics' } & T.DeniedTopicsCheck)
  | ({ type: 'maxSize' } & T.MaxSizeCheck);

export interface BuiltInChecker {
  /**
   * The categories `text` matches (`pii:email`, `secret`, `topic:<word>`, `size`), each once; empty when clean.
   * `from`: where the part not checked before starts (a stream's window); a checker may then leave out matches
   * lying wholly before it, found by the earlier check.
   */
  find(text: string, from?: number): readonly string[];
  /** `text` with what matched replaced; absent for a checker that cannot mask (`maxSize`). */
  mask?(text: string): string;
}

const REDACTED_LABEL = /\[REDACTED:([a-z0-9-]+)\]/g;

/** What a clean text matches: one shared empty list, as a clean text is what nearly every check finds. */
export const NOTHING_FOUND: readonly string[] = Object.freeze([]);

/** Builds the checker once (patterns compiled, unsafe ones refused by throwing), at start-up or reload. */
export function builtInChecker(check: BuiltInCheck): BuiltInChecker {
  switch (check.type) {
    case 'pii': {
      const redact = createWindowRedactor({ pii: check.detectors, patterns: check.patterns }) ?? ((text: string) => text);
      return {
        // One redaction pass: the labels it adds say which detectors matched (labels the text already had do not count).
        find(text, from = 0) {
          const out = redact(text, from);
          if (out === text) return NOTHING_FOUND;
          const before = labelCounts(text);
          const found = new Set<string>();
          for (const [name, count] of labelCounts(out)) if (count > (before.get(name) ?? 0)) found.add(`pii:${name}`);
          return [...found];
        },
        mask: (text) => redact(text, 0),
      };
    }
    case 'secrets':
      return {
        find: (text, from = 0) => ((from === 0 ? knownSecretKind(text) : hasKnownSecretFrom(text, from)) ? ['secret'] : NOTHING_FOUND),
        mask: redactSecrets,
      };
    case 'deniedTopics':
      return deniedWords(check.words);
    case 'maxSize':
      return { find: (text) => (text.length > check.chars ? ['size'] : NOTHING_FOUND) };
  }
}

function labelCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  if (!text.includes('[REDACTED:')) return counts;
  for (const m of text.matchAll(REDACTED_LABEL)) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
  return counts;
}

/** Whole words or phrases, any case, any run of white space between a phrase's words. */
function deniedWords(words: readonly string[]): BuiltInChecker {
  const escaped = words.map((w) =>
    w
      .trim()
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\s+/g, '\\s+'),
  );
  // Longest first, so that a phrase wins over a word it starts with.
  const order = escaped.map((_, i) => i).sort((a, b) => escaped[b]!.length - escaped[a]!.length);
  const regex = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${order.map((i) => `(${escaped[i]})`).join('|')})(?![\\p{L}\\p{N}_])`, 'giu');
  const wordOf = (m: RegExpMatchArray) => words[order[m.slice(1).findIndex((g) => g !== undefined)]!]!.trim().toLowerCase();
  // A clean text (the usual case) is ruled out by one test: `matchAll` copies the pattern on each call.
  const any = new RegExp(regex.source, 'giu');
  // A match holds one character per character of its word (case folding maps one to one), and one white-space run
  // per run in it.
  const span = Math.max(...words.map((w) => w.trim().replace(/\s+/g, ' ').length));
  return {
    find(text, from = 0) {
      // A match new to `from` ends there or later, so starts within `span` of it; the lookbehind still sees before.
      any.lastIndex = from === 0 ? 0 : spanStart(text, from, span);
      if (!any.test(text)) return NOTHING_FOUND;
      const found = new Set<string>();
      for (const m of text.matchAll(regex)) found.add(`topic:${wordOf(m)}`);
      return [...found];
    },
    mask: (text) => text.replace(regex, '[REDACTED:topic]'),
  };
}

/** Where a match of up to `span` characters (a white-space run counting as one) that ends at `end` or later can start. */
function spanStart(text: string, end: number, span: number): number {
  let at = Math.min(end, text.length);
  for (let n = span - 1; n > 0 && at > 0; n--) {
    at--;
    if (isSpace(text.charCodeAt(at))) while (at > 0 && isSpace(text.charCodeAt(at - 1))) at--;
  }
  return at;
}

const SPACE = /\s/;

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c > 127 && SPACE.test(String.fromCharCode(c)));
}
