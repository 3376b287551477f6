// The config repo as an editor sees it: the files on disk with the open buffers over them, compiled by the
// same pipeline as `modelgate validate`. Each file's parse, resources and schema findings are kept by its
// content, so after an edit only that file is parsed and validated again; references, rules and policies
// re-check the resources the edit changed and those that read them (pipeline/incremental-checks.ts).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { codeownersFindings } from '../gitops/owners/codeowners-file.ts';
import type { Diagnostic } from '../kernel/diagnostics.ts';
import type { AnyResource } from '../kernel/resource.ts';
import {
  DEFAULT_MAX_FILE_BYTES,
  fileTooLarge,
  loadFile,
  mergeLoadedFiles,
  readSources,
  type LoadedFile,
  type SourceFile,
} from '../compiler/load/load-project.ts';
import { parseFiles } from '../compiler/load/parse-files.ts';
import { createSchemaValidator, type ResourceValidator } from '../compiler/validate/schema-validator.ts';
import { compileLoaded, type CompileResult } from '../pipeline/compile.ts';
import type { CheckCache } from '../pipeline/incremental-checks.ts';
import { loadRulesConfig, type RulesConfig } from '../policies/index.ts';

export interface Snapshot {
  /** Every file's text as compiled, by path relative to the root. */
  texts: ReadonlyMap<string, string>;
  result: CompileResult;
  /** Every finding, as `modelgate validate` reports them (CODEOWNERS included). */
  diagnostics: Diagnostic[];
}

export interface WorkspaceOptions {
  maxFileBytes?: number;
  /** YYYY-MM-DD for exception expiry; today when omitted (tests pin it). */
  today?: string;
}

export class Workspace {
  private disk: SourceFile[] = [];
  private diskDiagnostics: Diagnostic[] = [];
  private rules: { config: RulesConfig; diagnostics: Diagnostic[] } = { config: { settings: [] }, diagnostics: [] };
  private readonly buffers = new Map<string, string>();
  /** Per file: the result for the text it had last; a text seen before (an undo) is hashed, not parsed. */
  private readonly cache = new Map<string, Map<string, LoadedFile>>();
  private readonly validated = new WeakMap<AnyResource, Diagnostic[]>();
  private readonly validator: ResourceValidator;
  private lastTexts = new Map<string, { text: string; loaded: LoadedFile }>();
  /** Each environment's reference, rule and policy findings by resource, re-checked where an edit reaches. */
  private readonly findings = new Map<string, CheckCache>();
  /** How many files the last `compile` parsed (the incremental test and bench read it). */
  parsedLastRound = 0;

  /** How many checks the last `compile` ran over every resource of an environment (the incremental test reads it). */
  get fullChecksLastRound(): number {
    return [...this.findings.values()].reduce((sum, cache) => sum + cache.fullRunsLastRound, 0);
  }

  constructor(
    readonly root: string,
    private readonly options: WorkspaceOptions = {},
  ) {
    const validate = createSchemaValidator();
    this.validator = (resource) => {
      let found = this.validated.get(resource);
      if (!found) this.validated.set(resource, (found = validate(resource)));
      return found;
    };
    this.reload();
  }

  /** Reads the repo from disk again (after files changed outside the editor). */
  reload(): void {
    const read = readSources(this.root, { maxFileBytes: this.options.maxFileBytes });
    this.disk = read.files;
    this.diskDiagnostics = read.diagnostics;
    this.rules = loadRulesConfig(this.root);
  }

  /**
   * A file saved or changed on disk: read again alone when it is a config file already known, else (a new or
   * deleted file, `.modelgateignore`, the rule settings) the whole repo is read again.
   */
  refresh(path: string): void {
    const at = this.disk.findIndex((f) => f.path === path);
    if (at < 0 && !isConfigPath(path) && !READ_BESIDE.test(path)) return;
    const absolute = join(this.root, path);
    const size = at >= 0 && existsSync(absolute) ? statSync(absolute).size : undefined;
    if (size === undefined || size > (this.options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES)) return this.reload();
    this.disk[at] = { path, text: readFileSync(absolute, 'utf8') };
  }

  /** An open buffer's text replaces the file's (or adds a file not saved yet). */
  setBuffer(path: string, text: string): void {
    this.buffers.set(path, text);
  }

  closeBuffer(path: string): void {
    this.buffers.delete(path);
  }

  /** The sources as the compiler sees them: disk, open buffers over it, new buffers in path order. */
  sources(): SourceFile[] {
    return this.read().files;
  }

  /** The sources, without the buffers over the size limit: those are left out as the loader leaves out such a file. */
  private read(): { files: SourceFile[]; tooLarge: Diagnostic[] } {
    const onDisk = new Set(this.disk.map((f) => f.path));
    // A buffer not saved yet is read as the loader would read it once saved (an existing file it skipped stays out).
    const added = [...this.buffers.keys()].filter((p) => !onDisk.has(p) && isConfigPath(p) && !existsSync(join(this.root, p))).sort();
    const opened = [...this.disk.filter((f) => this.buffers.has(f.path)).map((f) => f.path), ...added];
    const maxBytes = this.options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    const tooLarge = new Map<string, number>();
    for (const path of opened) {
      const size = Buffer.byteLength(this.buffers.get(path)!, 'utf8');
      if (size > maxBytes) tooLarge.set(path, size);
    }
    const files = [
      ...this.disk.map((f) => (this.buffers.has(f.path) ? { path: f.path, text: this.buffers.get(f.path)! } : f)),
      ...added.map((path) => ({ path, text: this.buffers.get(path)! })),
    ].filter((f) => !tooLarge.has(f.path));
    return { files, tooLarge: [...tooLarge].map(([path, size]) => fileTooLarge(path, size, maxBytes)) };
  }

  compile(): Snapshot {
    const { files, tooLarge } = this.read();
    const texts = new Map(files.map((f) => [f.path, f.text]));
    const loaded = files.map((file) => {
      const last = this.lastTexts.get(file.path);
      return last && last.text === file.text ? last.loaded : this.versionsOf(file.path).get(hashOf(file.text));
    });
    // What is new is parsed in one batch: on every core for a large repo (the first round), here for an edit.
    const missing = files.filter((_, i) => !loaded[i]);
    const parsed = parseFiles(missing);
    missing.forEach((file, i) => {
      const versions = this.versionsOf(file.path);
      // A few versions per file: enough for undo and redo, bounded however long the session.
      if (versions.size >= 4) versions.delete(versions.keys().next().value!);
      versions.set(hashOf(file.text), loadFile(file, parsed[i]!));
    });
    this.parsedLastRound = missing.length;
    const perFile = files.map((file, i) => loaded[i] ?? this.versionsOf(file.path).get(hashOf(file.text))!);
    this.lastTexts = new Map(files.map((file, i) => [file.path, { text: file.text, loaded: perFile[i]! }]));
    for (const path of this.cache.keys()) if (!texts.has(path)) this.cache.delete(path);
    const merged = mergeLoadedFiles(perFile);
    const result = compileLoaded(
      files,
      merged.resources,
      [...this.diskDiagnostics, ...tooLarge, ...this.rules.diagnostics, ...merged.diagnostics],
      {
        rulesConfig: this.rules.config,
        validate: this.validator,
        today: this.options.today,
        ir: false,
        incremental: this.findings,
      },
    );
    return { texts, result, diagnostics: [...result.diagnostics, ...codeownersFindings(this.root, result.resources)] };
  }

  private versionsOf(path: string): Map<string, LoadedFile> {
    let versions = this.cache.get(path);
    if (!versions) this.cache.set(path, (versions = new Map()));
    return versions;
  }
}

function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('base64');
}

/** The files beside the resources that say how they are read: the ignore list and the rule settings. */
const READ_BESIDE = /^(\.modelgateignore|modelgate\.config\.ya?ml)$/;

/** A path the loader would read as config: not a dot-file or in a dot-folder, not the rule settings. */
function isConfigPath(path: string): boolean {
  return /\.ya?ml$/i.test(path) && !path.split('/').some((step) => step.startsWith('.')) && !READ_BESIDE.test(path);
}
