// The language server's incremental compile against a compile from scratch: over random edit sequences on a
// generated repo (typos in names, deleted and duplicated lines, broken YAML, documents copied into another
// file, resources renamed, references and labels changed, overlays, rule levels and Policies edited, route
// aliases and prompt paths claimed, files put back as they were), the findings are identical after every edit,
// and only edited files are parsed again. `npm test` runs a fixed-seed sequence of a few hundred edits; `npm run
// fuzz` runs 100,000 (`FUZZ_RUNS`) from a fresh seed (`FUZZ_SEED` replays one).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateRepo, writeRepo } from '../bench/generate.ts';
import { type LoadedFile, loadFile, mergeLoadedFiles, readSources, type SourceFile } from '../compiler/load/load-project.ts';
import { parseFile } from '../compiler/load/parse-files.ts';
import { createSchemaValidator, type ResourceValidator } from '../compiler/validate/schema-validator.ts';
import { type Diagnostic, sortDiagnostics } from '../kernel/diagnostics.ts';
import type { AnyResource } from '../kernel/resource.ts';
import { type CompileOptions, compileLoaded } from '../pipeline/compile.ts';
import { BUILTIN_RULES } from '../policies/index.ts';
import { expectEqual } from '../test/support/expect-equal.ts';
import { CLAIM_EDITS, editKinds, random, randomEdit } from '../test/support/random-edits.ts';
import { Workspace } from './workspace.ts';

const TODAY = '2026-01-01';
const LONG = process.env.FUZZ_RUNS !== undefined;
const EDITS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? (LONG ? Math.floor(Math.random() * 2 ** 31) : 20261207));
/** None for the long runs of `npm run fuzz`. */
const TIMEOUT_MS = LONG ? 0 : 300_000;

const dir = mkdtempSync(join(tmpdir(), 'modelgate-lsp-ws-'));

// Each edit is checked against compiles from scratch of the same texts (every environment as the CLI compiles
// them, then each alone), which share what is a function of a file's path and text alone: its parse and
// resources (`loadFile`), made the first time a (path, text) is met, and each resource's schema findings
// (`createSchemaValidator` is pure). All of it is deep-frozen, so a stage that wrote into what it was given would
// throw here rather than pass on a shared copy. The merge of the files, environment overlays, references,
// rules and policies all run from scratch for each compile.
const loadedTexts = new Map<string, LoadedFile>();
function loadScratch(files: readonly SourceFile[]): { resources: AnyResource[]; diagnostics: Diagnostic[] } {
  const perFile = files.map((file) => {
    const key = `${file.path}\0${file.text}`;
    const loaded = loadedTexts.get(key) ?? deepFreeze(loadFile(file, parseFile(file)));
    // Last used last, and the least recently used go: a long FUZZ_RUNS sequence would otherwise keep every text it
    // ever made (hundreds of KB each once loaded), while the repo's texts now are used at every edit.
    loadedTexts.delete(key);
    loadedTexts.set(key, loaded);
    if (loadedTexts.size > 100) loadedTexts.delete(loadedTexts.keys().next().value!);
    return loaded;
  });
  return deepFreeze(mergeLoadedFiles(perFile));
}
const validateOnce = createSchemaValidator();
const validated = new WeakMap<AnyResource, Diagnostic[]>();
const validateScratch: ResourceValidator = (resource) => {
  let found = validated.get(resource);
  if (!found) validated.set(resource, (found = deepFreeze(validateOnce(resource))));
  return found;
};
/** A compile from scratch of `files` (loaded once for all of an edit's compiles: the same array each time). */
let lastLoad: { files: readonly SourceFile[]; loaded: ReturnType<typeof loadScratch> } | undefined;
function compileSources(files: SourceFile[], options: CompileOptions) {
  if (lastLoad?.files !== files) lastLoad = { files, loaded: loadScratch(files) };
  const { resources, diagnostics } = lastLoad.loaded;
  // Without the IR: the findings are the same (compileLoaded's contract), and none of this test looks at it.
  return compileLoaded(files, resources, diagnostics, { ...options, validate: validateScratch, ir: false });
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The built-in rules that reported something after the last edit. */
let reporting: string[] = [];
const BUILTIN_IDS = new Set(BUILTIN_RULES.map((r) => r.id));
const EDIT_KINDS = { ...editKinds(() => reporting), ...CLAIM_EDITS };

describe('the incremental workspace', () => {
  it(
    `finds what a compile from scratch finds after each of ${EDITS} random edits`,
    () => {
      // The generator's smallest repo: every kind, references across files, a dozen files to edit.
      const original = generateRepo({ resources: 40, seed: 5, layout: 'multi' });
      writeRepo(dir, original);
      const workspace = new Workspace(dir, { today: TODAY });
      const pick = random(SEED);
      const texts = new Map(original.map((f) => [f.path, f.text]));
      const originals = new Map(texts);
      const kinds = Object.keys(EDIT_KINDS);
      const counts = new Map<string, number>();
      expect(workspace.compile().diagnostics).toEqual(compileSources(workspace.sources(), { today: TODAY }).diagnostics);
      for (let i = 0; i < EDITS; i++) {
        const { kind, path, text: after } = randomEdit(pick, EDIT_KINDS, texts, originals);
        counts.set(kind, (counts.get(kind) ?? 0) + 1);
        texts.set(path, after);
        workspace.setBuffer(path, after);
        const incremental = workspace.compile().diagnostics;
        expect(workspace.parsedLastRound, `edit ${i} (${kind} in ${path}) parsed other files`).toBeLessThanOrEqual(1);
        // The CLI's compile: every environment through one engine, each after the one before.
        const sources = workspace.sources();
        const cli = compileSources(sources, { today: TODAY });
        expectEqual(incremental, cli.diagnostics, `edit ${i} (${kind} in ${path}, seed ${SEED})`);
        reporting = [...new Set(cli.diagnostics.map((d) => d.ruleId).filter((id) => BUILTIN_IDS.has(id)))].sort();
        for (const env of cli.environments) {
          // No Environment valid: the CLI compiled the base alone, without an engine, which is this comparison already.
          if (!env.resources.some((r) => r.kind === 'Environment')) continue;
          const name = env.environment.name;
          const scratch = compileSources(sources, { today: TODAY, env: name }).environments[0]!;
          // In any order: the result sorts them when it merges the environments.
          const where = `edit ${i} (${kind} in ${path}, seed ${SEED}): environment ${name} from scratch`;
          expectEqual(sortDiagnostics(env.diagnostics), sortDiagnostics(scratch.diagnostics), where);
        }
      }
      // The default sequence exercises every kind of edit (a short one set by FUZZ_RUNS may not).
      if (EDITS >= 100) expect([...counts.keys()].sort()).toEqual([...kinds, 'put back'].sort());
    },
    TIMEOUT_MS,
  );

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
