// Random edits of a generated config repo, as a person makes them (typos in names, deleted and duplicated lines,
// broken YAML, documents copied into another file, resources renamed, references and labels changed, overlays and
// Policies edited), for the differential tests of incremental compiles (lsp/workspace.test.ts) and of plans
// through a persisted cache (gitops/plan/persisted-cache.test.ts), each against a compile from scratch.
import { BUILTIN_RULES } from '../../policies/index.ts';

/** A small deterministic generator, so that a failing sequence can be replayed from its seed. */
export function random(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return state % n;
  };
}

export type Edit = (text: string, other: string, pick: (n: number) => number) => string;

/**
 * Edits by kind. `reporting` says which built-in rules reported something after the edit before: a rule level is
 * mostly set for one of them, so that its level shows.
 */
export function editKinds(reporting: () => readonly string[]): Record<string, Edit> {
  const kinds: Record<string, Edit> = {
    'typo in a value': (text, _, pick) => {
      const lines = text.split('\n');
      const i = pick(lines.length);
      const at = lines[i]!.indexOf(': ');
      if (at < 0 || at + 3 >= lines[i]!.length) return text;
      const j = at + 2 + pick(lines[i]!.length - at - 2);
      lines[i] = lines[i]!.slice(0, j) + 'xq'[pick(2)] + lines[i]!.slice(j + 1);
      return lines.join('\n');
    },
    'line deleted': (text, _, pick) => {
      const lines = text.split('\n');
      lines.splice(pick(lines.length), 1);
      return lines.join('\n');
    },
    'line duplicated': (text, _, pick) => {
      const lines = text.split('\n');
      const i = pick(lines.length);
      lines.splice(i, 0, lines[i]!);
      return lines.join('\n');
    },
    'broken YAML': (text, _, pick) => {
      const at = pick(text.length);
      return `${text.slice(0, at)}: [\n${text.slice(at)}`;
    },
    'document of another file appended': (text, other) => `${text}\n---\n${other}`,
    // Edits that reach other resources through what the checks read: names, references, labels, overlays, Policies.
    'resource renamed': (text, other, pick) =>
      replaceOne(text, /^( {2}name: )(\S+)$/gm, pick, (value) => (pick(2) ? `${value}-b` : (namesIn(other)[0] ?? value))),
    'reference changed': (text, other, pick) =>
      replaceOne(text, /^(\s+(?:- )?(?:provider|route|model|version): )(\S+)$/gm, pick, (value) => {
        const names = namesIn(other);
        return pick(3) ? (names[pick(names.length)] ?? value) : `${value}x`;
      }),
    'labels changed': (text, _, pick) =>
      replaceOne(text, /^( {4}(?:team|owner|tier): )(\S+)$/gm, pick, (value) => (pick(2) ? 'platform' : `${value}-b`)),
    'overlay patched': (text, other, pick) => {
      const [name] = namesIn(other);
      const kind = /^kind: (\w+)$/m.exec(other)?.[1];
      if (!/^ {2}patches:$/m.test(text) || !name || !kind) return text;
      const patch = pick(2) ? 'metadata:\n          labels:\n            team: patched' : 'spec:\n          timeout: 5s';
      return text.replace(
        /^ {2}patches:$/m,
        `  patches:\n    - target:\n        kind: ${kind}\n        name: ${name}\n      patch:\n        ${patch}`,
      );
    },
    'Policy line deleted': (text, other, pick) => kinds['line deleted']!(text, other, pick),
    // A rule's level in one environment (mostly of a rule that reports something, so that its level shows): the
    // CLI's compile of every environment must not reuse another environment's findings of that rule.
    'rule level set': (text, _, pick) => {
      const rules = pick(4) ? reporting() : BUILTIN_RULES.map((r) => r.id);
      const rule = rules[pick(rules.length)] ?? BUILTIN_RULES[0]!.id;
      return text.replace(/^spec:$/m, `spec:\n  rules:\n    ${rule}: ${['error', 'info', 'off'][pick(3)]}`);
    },
    'indentation changed': (text, _, pick) => {
      const lines = text.split('\n');
      const i = pick(lines.length);
      lines[i] = pick(2) ? `  ${lines[i]}` : lines[i]!.replace(/^ {2}/, '');
      return lines.join('\n');
    },
  };
  return kinds;
}

/** The files an edit kind is made in, when not any file. */
export const MADE_IN: Partial<Record<string, RegExp>> = {
  'overlay patched': /^environments\//,
  'rule level set': /^environments\//,
  'Policy line deleted': /^policies\//,
};

/** One match of `pattern` (a global regex of two groups: what precedes the value, the value) with a new value. */
function replaceOne(text: string, pattern: RegExp, pick: (n: number) => number, next: (value: string) => string): string {
  const matches = [...text.matchAll(pattern)];
  if (matches.length === 0) return text;
  const m = matches[pick(matches.length)]!;
  return text.slice(0, m.index) + m[1] + next(m[2]!) + text.slice(m.index + m[0].length);
}

/** The resource names declared in a file's text. */
function namesIn(text: string): string[] {
  return [...text.matchAll(/^ {2}name: (\S+)$/gm)].map((m) => m[1]!);
}

/** One random edit of one file of `texts` (path -> text now): an edit kind, or the file put back as in `original`. */
export function randomEdit(
  pick: (n: number) => number,
  edits: Record<string, Edit>,
  texts: ReadonlyMap<string, string>,
  original: ReadonlyMap<string, string>,
): { kind: string; path: string; text: string } {
  const paths = [...texts.keys()];
  const names = Object.keys(edits);
  const kind = pick(10) === 0 ? 'put back' : names[pick(names.length)]!;
  const where = paths.filter((p) => MADE_IN[kind]?.test(p) ?? true);
  const path = where[pick(where.length)]!;
  const text = kind === 'put back' ? original.get(path)! : edits[kind]!(texts.get(path)!, texts.get(paths[pick(paths.length)]!)!, pick);
  return { kind, path, text };
}
