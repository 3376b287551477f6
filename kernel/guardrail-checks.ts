// The built-in guardrail checkers: personal data (the redaction detectors), credentials (the detectors the
// compiler runs on the config), denied words and a size cap. Pure and synchronous, so that the gateway runs them
// inline (on every stream chunk too) and `modelgate validate` runs a guardrail's test cases offline.
import type * as T from '../schema/types.ts';
import { createRedactor } from './redaction.ts';
import { knownSecretKind, redactSecrets } from './secrets.ts';

export type BuiltInCheck =
  | ({ type: 'pii' } & Required<T.PiiCheck>)
  | { type: 'secrets' }
  | ({ type: 'deniedTopics' } & T.DeniedTopicsCheck)
  | ({ type: 'maxSize' } & T.MaxSizeCheck);

export interface BuiltInChecker {
  /** The categories `text` matches (`pii:email`, `secret`, `topic:<word>`, `size`), each once; empty when clean. */
  find(text: string): string[];
  /** `text` with what matched replaced; absent for a checker that cannot mask (`maxSize`). */
  mask?(text: string): string;
}

const REDACTED_LABEL = /\[REDACTED:([a-z0-9-]+)\]/g;

/** Builds the checker once (patterns compiled, unsafe ones refused by throwing), at start-up or reload. */
export function builtInChecker(check: BuiltInCheck): BuiltInChecker {
  switch (check.type) {
    case 'pii': {
      const redact = createRedactor({ pii: check.detectors, patterns: check.patterns }) ?? ((text: string) => text);
      return {
        // One redaction pass: the labels it adds say which detectors matched (labels the text already had do not count).
        find(text) {
          const out = redact(text);
          if (out === text) return [];
          const before = labelCounts(text);
          const found = new Set<string>();
          for (const [name, count] of labelCounts(out)) if (count > (before.get(name) ?? 0)) found.add(`pii:${name}`);
          return [...found];
        },
        mask: redact,
      };
    }
    case 'secrets':
      return {
        find: (text) => (knownSecretKind(text) ? ['secret'] : []),
        mask: redactSecrets,
      };
    case 'deniedTopics':
      return deniedWords(check.words);
    case 'maxSize':
      return { find: (text) => (text.length > check.chars ? ['size'] : []) };
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
  const any = new RegExp(regex.source, 'iu');
  return {
    find(text) {
      if (!any.test(text)) return [];
      const found = new Set<string>();
      for (const m of text.matchAll(regex)) found.add(`topic:${wordOf(m)}`);
      return [...found];
    },
    mask: (text) => text.replace(regex, '[REDACTED:topic]'),
  };
}
