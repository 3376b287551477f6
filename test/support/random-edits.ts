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
      const reported = reporting();
      const ids = reported.length && pick(4) ? reported : BUILTIN_RULES.map((r) => r.id);
      const rule = BUILTIN_RULES.find((r) => r.id === ids[pick(ids.length)]) ?? BUILTIN_RULES[0]!;
      const set = new RegExp(`^ {4}${rule.id}: (\\S+)$`, 'm');
      // Another level than the one in force, so that the edit shows.
      const levels = ['error', 'warning', 'info', 'off'].filter((level) => level !== (set.exec(text)?.[1] ?? rule.defaultSeverity));
      return setInSpec(text, pick, 'rules', `    ${rule.id}: ${levels[pick(levels.length)]}`, set);
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

/**
 * Claims that other resources' findings read in part (Route aliases, Prompt paths), each taken from a few, so that
 * two resources often claim the same and the one not edited is reported too. Apart from `editKinds`: most of them are
 * errors, after which a repo no longer builds.
 */
export const CLAIM_EDITS: Record<string, Edit> = {
  'route alias added': (text, other, pick) => {
    const aliases = [...namesIn(other), 'gpt-4o', 'gpt-*', 'chat-*'];
    return setInSpec(text, pick, 'aliases', `    - ${aliases[pick(aliases.length)]}`);
  },
  'prompt exposed': (text, _, pick) =>
    setInSpec(text, pick, 'expose', `    path: ${['/v1/apps/review', '/v1/apps/summary', '/metrics'][pick(3)]}`, /^ {4}path: .*$/m),
};

/** The files an edit kind is made in, when not any file. */
export const MADE_IN: Partial<Record<string, RegExp>> = {
  'overlay patched': /^environments\//,
  'rule level set': /^environments\//,
  'Policy line deleted': /^policies\//,
  'route alias added': /^routes\//,
  'prompt exposed': /^prompts\//,
};

/** One match of `pattern` (a global regex of two groups: what precedes the value, the value) with a new value. */
function replaceOne(text: string, pattern: RegExp, pick: (n: number) => number, next: (value: string) => string): string {
  const matches = [...text.matchAll(pattern)];
  if (matches.length === 0) return text;
  const m = matches[pick(matches.length)]!;
  return text.slice(0, m.index) + m[1] + next(m[2]!) + text.slice(m.index + m[0].length);
}

/**
 * `line` under `key` in the spec of one of the file's documents: in place of the line `replaces` finds there, else
 * added first; with `key` added first when that spec has none (a second one would only break the file).
 */
function setInSpec(text: string, pick: (n: number) => number, key: string, line: string, replaces?: RegExp): string {
  const specs = [...text.matchAll(/^spec:$/gm)];
  if (specs.length === 0) return text;
  const start = specs[pick(specs.length)]!.index! + 'spec:'.length;
  const next = text.indexOf('\n---', start);
  const end = next < 0 ? text.length : next;
  const spec = text.slice(start, end);
  const at = new RegExp(`^ {2}${key}:$`, 'm').exec(spec);
  if (!at) return `${text.slice(0, start)}\n  ${key}:\n${line}${text.slice(start)}`;
  const old = replaces?.exec(spec.slice(at.index));
  if (old) return text.slice(0, start + at.index + old.index) + line + text.slice(start + at.index + old.index + old[0].length);
  const after = start + at.index + at[0].length;
  return `${text.slice(0, after)}\n${line}${text.slice(after)}`;
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
