// The language server's incremental compile against a compile from scratch: over random edit sequences on a
// generated repo (typos in names, deleted and duplicated lines, broken YAML, documents copied into another
// file, resources renamed, references and labels changed, overlays and Policies edited, files put back as they
// were), the findings are identical after every edit, and only edited files are parsed again. `npm test` runs a
// short fixed-seed sequence (each edit compiles the repo from scratch too, which is most of the time);
// `FUZZ_RUNS=100000 npx vitest run lsp/workspace.test.ts` runs a longer sequence.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateRepo, writeRepo } from '../bench/generate.ts';
import { readSources } from '../compiler/load/load-project.ts';
import { sortDiagnostics } from '../kernel/diagnostics.ts';
import { compileSources } from '../pipeline/compile.ts';
import { BUILTIN_RULES } from '../policies/index.ts';
import { Workspace } from './workspace.ts';

const TODAY = '2026-01-01';
const EDITS = Number(process.env.FUZZ_RUNS ?? 120);
const SEED = Number(process.env.LSP_FUZZ_SEED ?? 20261207);

const dir = mkdtempSync(join(tmpdir(), 'modelgate-lsp-ws-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A small deterministic generator, so that a failing sequence can be replayed from its seed. */
function random(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return state % n;
  };
}

/** The built-in rules that reported something after the last edit. */
let reporting: string[] = [];
const BUILTIN_IDS = new Set(BUILTIN_RULES.map((r) => r.id));

type Edit = (text: string, other: string, pick: (n: number) => number) => string;

const EDIT_KINDS: Record<string, Edit> = {
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
  'Policy line deleted': (text, other, pick) => EDIT_KINDS['line deleted']!(text, other, pick),
  // A rule's level in one environment (mostly of a rule that reports something, so that its level shows): the
  // CLI's compile of every environment must not reuse another environment's findings of that rule.
  'rule level set': (text, _, pick) => {
    const rules = pick(4) ? reporting : BUILTIN_RULES.map((r) => r.id);
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

/** The files an edit kind is made in, when not any file. */
const MADE_IN: Partial<Record<string, RegExp>> = {
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

describe('the incremental workspace', () => {
  it(`finds what a compile from scratch finds after each of ${EDITS} random edits`, () => {
    // The generator's smallest repo: every kind, references across files, a dozen files to edit.
    const original = generateRepo({ resources: 40, seed: 5, layout: 'multi' });
    writeRepo(dir, original);
    const workspace = new Workspace(dir, { today: TODAY });
    const pick = random(SEED);
    const texts = new Map(original.map((f) => [f.path, f.text]));
    const paths = [...texts.keys()];
    const kinds = Object.keys(EDIT_KINDS);
    const counts = new Map<string, number>();
    expect(workspace.compile().diagnostics).toEqual(compileSources(workspace.sources(), { today: TODAY }).diagnostics);
    for (let i = 0; i < EDITS; i++) {
      const kind = pick(10) === 0 ? 'put back' : kinds[pick(kinds.length)]!;
      const where = paths.filter((p) => MADE_IN[kind]?.test(p) ?? true);
      const path = where[pick(where.length)]!;
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
      const before = texts.get(path)!;
      const after =
        kind === 'put back'
          ? original.find((f) => f.path === path)!.text
          : EDIT_KINDS[kind]!(before, texts.get(paths[pick(paths.length)]!)!, pick);
      texts.set(path, after);
      workspace.setBuffer(path, after);
      const incremental = workspace.compile().diagnostics;
      expect(workspace.parsedLastRound, `edit ${i} (${kind} in ${path}) parsed other files`).toBeLessThanOrEqual(1);
      // The CLI's compile: every environment through one engine, each after the one before.
      const cli = compileSources(workspace.sources(), { today: TODAY });
      expect(incremental, `edit ${i} (${kind} in ${path}, seed ${SEED})`).toEqual(cli.diagnostics);
      reporting = [...new Set(cli.diagnostics.map((d) => d.ruleId).filter((id) => BUILTIN_IDS.has(id)))].sort();
      for (const env of cli.environments) {
        const name = env.environment.name;
        const scratch = compileSources(workspace.sources(), { today: TODAY, env: name, ir: false }).environments[0]!;
        // In any order: the result sorts them when it merges the environments.
        const where = `edit ${i} (${kind} in ${path}, seed ${SEED}): environment ${name} from scratch`;
        expect(sortDiagnostics(env.diagnostics), where).toEqual(sortDiagnostics(scratch.diagnostics));
      }
    }
    // The default sequence exercises every kind of edit (a short one set by FUZZ_RUNS may not).
    if (EDITS >= 100) expect([...counts.keys()].sort()).toEqual([...kinds, 'put back'].sort());
  }, 300_000);

  it('parses nothing again when nothing changed, and only the edited file after an edit', () => {
    const workspace = new Workspace(dir, { today: TODAY });
    workspace.compile();
    expect(workspace.parsedLastRound).toBeGreaterThan(10);
    workspace.compile();
    expect(workspace.parsedLastRound).toBe(0);
    const first = workspace.sources().find((f) => f.path.startsWith('routes/'));
    workspace.setBuffer(first!.path, `${first!.text}\n# a comment\n`);
    workspace.compile();
    expect(workspace.parsedLastRound).toBe(1);
    // Its routes are checked again; over every resource, only the rule that compares them all, per environment
    // (no rule reads what a route holds beyond the parts its reads declare).
    expect(workspace.fullChecksLastRound).toBe(3);
    // Undo: the earlier text is found by its content, not parsed again.
    workspace.setBuffer(first!.path, first!.text);
    workspace.compile();
    expect(workspace.parsedLastRound).toBe(0);
  });

  it('compiles a new unsaved config file, not a dot-file, and reads a saved file again', () => {
    const workspace = new Workspace(dir, { today: TODAY });
    const route = (provider: string) =>
      `apiVersion: modelgate.dev/v1\nkind: Route\nmetadata:\n  name: typed-route\nspec:\n  targets:\n    - provider: ${provider}\n      model: m\n`;
    workspace.setBuffer('routes/typed.yaml', route('no-such-provider'));
    workspace.setBuffer('.gitlab-ci.yml', 'stages: [build]\n');
    const found = workspace.compile().diagnostics;
    expect(found.filter((d) => d.file === 'routes/typed.yaml').map((d) => d.ruleId)).toContain('reference');
    expect(found.filter((d) => d.file === '.gitlab-ci.yml')).toEqual([]);

    const [first] = workspace.sources();
    writeFileSync(join(dir, first!.path), `${first!.text}\n---\nkind: Nonsense\n`);
    workspace.refresh(first!.path);
    expect(
      workspace
        .compile()
        .diagnostics.filter((d) => d.file === first!.path)
        .map((d) => d.ruleId),
    ).toEqual(['unknown-api-version']);
    writeFileSync(join(dir, first!.path), first!.text);
    workspace.refresh(first!.path);
    expect(workspace.compile().diagnostics.filter((d) => d.file === first!.path)).toEqual([]);
  });

  it('refuses an open buffer over --max-file-bytes as the CLI refuses such a file, and reads it again once under', () => {
    const acme = new URL('../fixtures/acme/', import.meta.url).pathname;
    const path = 'routes/chat-cheap.yaml';
    const workspace = new Workspace(acme, { today: TODAY, maxFileBytes: 4096 });
    const saved = workspace.sources().find((f) => f.path === path)!.text;
    const large = `${saved}\n${'# padding\n'.repeat(500)}`;
    workspace.setBuffer(path, large);
    const found = workspace.compile();
    // What `modelgate validate --max-file-bytes 4096` says of the same text saved.
    const saveDir = mkdtempSync(join(tmpdir(), 'modelgate-lsp-large-'));
    mkdirSync(join(saveDir, 'routes'));
    writeFileSync(join(saveDir, path), large);
    const cli = readSources(saveDir, { maxFileBytes: 4096 }).diagnostics;
    rmSync(saveDir, { recursive: true, force: true });
    expect(cli.map((d) => d.ruleId)).toEqual(['file-too-large']);
    expect(found.diagnostics.filter((d) => d.ruleId === 'file-too-large')).toEqual(cli);
    expect(found.texts.has(path)).toBe(false);
    expect(found.result.resources.some((r) => r.file === path)).toBe(false);
    workspace.setBuffer(path, saved);
    const back = workspace.compile();
    expect(back.diagnostics.filter((d) => d.ruleId === 'file-too-large')).toEqual([]);
    expect(back.result.resources.some((r) => r.file === path)).toBe(true);
  });
});
