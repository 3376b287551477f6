// Loads a config repo: files -> YAML documents -> resources with source positions. I/O stays here.
import { readFileSync } from 'node:fs';

import { API_VERSION, KINDS, isKind, type Kind } from '../../schema/kinds.ts';
import type { Diagnostic, Location } from '../../kernel/diagnostics.ts';
import type { CoreRuleId } from '../../kernel/rule-registry.ts';
import { resourceId, type AnyResource, type DocPath, type LocateAt } from '../../kernel/resource.ts';
import { closest, didYouMean } from '../../kernel/suggest.ts';
import { discoverFiles } from './discover.ts';
import { lazySource, locateInSpans, type SourceText } from './locate.ts';
import { parseFilesCached, type ParseCache } from './cached-parse.ts';
import type { ParsedFileData } from './parse-files.ts';
import { stripBom, type ParsedDocument } from './parse-yaml.ts';

export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;
const ENVELOPE_KEYS = ['apiVersion', 'kind', 'metadata', 'spec'];

export interface LoadOptions {
  maxFileBytes?: number;
  /** Earlier parse results to reuse (`modelgate plan` keeps them between runs). */
  parseCache?: ParseCache;
}

export interface SourceFile {
  path: string;
  text: string;
}

export interface LoadedProject {
  root: string;
  files: SourceFile[];
  resources: AnyResource[];
  diagnostics: Diagnostic[];
}

/** Reads every config file under `root`. */
export function loadProject(root: string, options: LoadOptions = {}): LoadedProject {
  const read = readSources(root, options);
  const loaded = loadSources(read.files, options.parseCache);
  return { root, files: read.files, resources: loaded.resources, diagnostics: [...read.diagnostics, ...loaded.diagnostics] };
}

/** The I/O part of loading: the texts of the config files under `root`, and the files too large to read. */
export function readSources(
  root: string,
  options: Pick<LoadOptions, 'maxFileBytes'> = {},
): { files: SourceFile[]; diagnostics: Diagnostic[] } {
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const { files: found, diagnostics } = discoverFiles(root);
  const files: SourceFile[] = [];
  for (const f of found) {
    if (f.size > maxBytes) {
      diagnostics.push(fileTooLarge(f.path, f.size, maxBytes));
      continue;
    }
    files.push({ path: f.path, text: readFileSync(f.absolute, 'utf8') });
  }
  return { files, diagnostics };
}

/** A config file over `--max-file-bytes`, left unread (the language server says the same of a buffer). */
export function fileTooLarge(path: string, size: number, maxBytes: number): Diagnostic {
  return {
    ruleId: 'file-too-large',
    severity: 'error',
    message: `${path} is ${size} bytes, over the limit of ${maxBytes} bytes; it was not read.`,
    hint: 'Split it into smaller files, or raise the limit with --max-file-bytes.',
    ...fileStart(path),
  };
}

/** One file's resources and the findings about its own text, before resources of other files are known. */
export interface LoadedFile {
  resources: AnyResource[];
  diagnostics: Diagnostic[];
}

/** Pure part of loading: source texts -> resources. Used by `loadProject` and by tests. */
export function loadSources(
  files: readonly SourceFile[],
  parseCache?: ParseCache,
): { resources: AnyResource[]; diagnostics: Diagnostic[] } {
  const parsedFiles = parseFilesCached(files, parseCache);
  return mergeLoadedFiles(files.map((file, i) => loadFile(file, parsedFiles[i]!)));
}

/** One parsed file to resources: what depends on this file alone, so an editor can keep it per file. */
export function loadFile(file: SourceFile, parsed: ParsedFileData): LoadedFile {
  const diagnostics = [...parsed.diagnostics];
  const src = lazySource(file.path, stripBom(file.text));
  const resources: AnyResource[] = [];
  for (const pd of parsed.documents) {
    const resource = toResource(pd, src, diagnostics);
    if (resource) resources.push(resource);
  }
  return { resources, diagnostics };
}

/** The files' resources in order, a name declared twice kept at its first declaration and reported at the others. */
export function mergeLoadedFiles(files: readonly LoadedFile[]): { resources: AnyResource[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const resources: AnyResource[] = [];
  const byId = new Map<string, AnyResource>();
  for (const file of files) {
    // A loop, not push(...): a hostile file can hold more findings than a call takes arguments.
    for (const d of file.diagnostics) diagnostics.push(d);
    for (const resource of file.resources) {
      const first = byId.get(resource.id);
      if (first) {
        const here = resource.locate(['metadata', 'name']);
        const there = first.locate(['metadata', 'name']);
        diagnostics.push({
          ruleId: 'duplicate-resource',
          severity: 'error',
          message: `${resource.id} is declared twice: here and at ${there.file}:${there.line}:${there.column}.`,
          hint: 'Names are unique per kind across the repo: rename or remove one.',
          resource: resource.id,
          ...here,
        });
        continue;
      }
      byId.set(resource.id, resource);
      resources.push(resource);
    }
  }
  return { resources, diagnostics };
}

function toResource(pd: ParsedDocument, src: SourceText, diagnostics: Diagnostic[]): AnyResource | undefined {
  const locate = (path: DocPath, at?: LocateAt): Location => locateInSpans(pd.spans, src, path, at);
  const fail = (ruleId: CoreRuleId, message: string, path: DocPath, hint?: string): undefined => {
    diagnostics.push({ ruleId, severity: 'error', message, hint, ...locate(path, ruleId === 'schema' ? 'key' : 'value') });
    return undefined;
  };
  const v = pd.value;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    return fail('not-a-resource', 'A document must be a mapping with apiVersion, kind, metadata and spec.', []);
  }
  const doc = v as Record<string, unknown>;
  const strayKeys = Object.keys(doc).filter((k) => !ENVELOPE_KEYS.includes(k));
  if (strayKeys.length) {
    for (const key of strayKeys) {
      diagnostics.push({
        ruleId: 'schema',
        severity: 'error',
        message: `\`${key}\` is not a known top-level property.${didYouMean(key, ENVELOPE_KEYS)}`,
        hint: `A resource has exactly: ${ENVELOPE_KEYS.join(', ')}.`,
        ...locate([key], 'key'),
      });
    }
    return undefined;
  }
  if (doc.apiVersion !== API_VERSION) {
    const seen = doc.apiVersion === undefined ? 'is missing' : `is "${String(doc.apiVersion)}"`;
    return fail('unknown-api-version', `apiVersion ${seen}; expected "${API_VERSION}".`, ['apiVersion'], `Set apiVersion: ${API_VERSION}`);
  }
  if (!isKind(doc.kind)) {
    const seen = doc.kind === undefined ? 'is missing' : `"${String(doc.kind)}" is not a modelgate kind.`;
    const hint = typeof doc.kind === 'string' ? didYouMean(doc.kind, KINDS).trim() : '';
    return fail('unknown-kind', `kind ${seen}`, ['kind'], `${hint ? `${hint} ` : ''}Kinds: ${KINDS.join(', ')}.`);
  }
  const metadata = doc.metadata as Record<string, unknown> | undefined;
  const name = metadata?.name;
  if (typeof name !== 'string' || name === '') {
    const typo = metadata && typeof metadata === 'object' ? closest('name', Object.keys(metadata)) : undefined;
    if (typo) {
      return fail(
        'schema',
        `\`metadata.${typo}\` is not a known property. Did you mean "name"?`,
        ['metadata', typo],
        'Every resource needs metadata.name.',
      );
    }
    return fail('schema', 'metadata.name is required and must be a string.', ['metadata', 'name'], 'Give the resource a name.');
  }
  const kind: Kind = doc.kind;
  return {
    kind,
    name,
    id: resourceId(kind, name),
    value: doc as never,
    file: src.file,
    docIndex: pd.index,
    locate,
  } as AnyResource;
}

function fileStart(file: string): Location {
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
}
