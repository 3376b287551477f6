// Report entry points: format findings for a reader (text) or a tool (json, sarif, codequality, junit),
// and emit them to the terminal or to files (several formats from one run).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, posix, relative, sep } from 'node:path';
import { sortDiagnostics, type Diagnostic } from '../../kernel/diagnostics.ts';
import { reportMask } from '../../kernel/mask.ts';
import type { RuleInfo } from '../../kernel/rule-registry.ts';
import { formatCodeQuality } from './codequality.ts';
import { formatJson } from './json.ts';
import { formatJunit } from './junit.ts';
import { formatSarif } from './sarif.ts';
import { formatText } from './text.ts';
import { repositoryPrefix } from './repository-root.ts';

export const REPORT_FORMATS = ['text', 'json', 'sarif', 'codequality', 'junit'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface FormatOptions {
  /** Paths (relative to the config root) of every file read, so clean files count and pass too. */
  filesChecked?: readonly string[];
  /** ANSI colours; text only. */
  color?: boolean;
  /** Every rule the run could report under, for reports that describe their rules (SARIF); core rules are built in. */
  rules?: readonly RuleInfo[];
  /**
   * Prepended to file paths in the reports that CI systems read (text, sarif, codequality, junit), which need
   * paths relative to the repository, not to the config root. JSON keeps root-relative paths.
   */
  pathPrefix?: string;
}

export function formatReport(format: ReportFormat, diagnostics: readonly Diagnostic[], options: FormatOptions = {}): string {
  // Findings quote what the user wrote; a credential written there must not reach a report or a CI log.
  const sorted = sortDiagnostics(diagnostics).map(reportMask());
  if (format === 'json') return formatJson(sorted, options.filesChecked ?? []);
  // Normalised, so that a file beside the config root (`../CODEOWNERS`) reads as the repository has it.
  const prefix = (path: string) =>
    options.pathPrefix && path ? posix.normalize(`${options.pathPrefix.replace(/\/?$/, '/')}${path}`) : path;
  const found = sorted.map((d) => ({ ...d, file: prefix(d.file) }));
  const files = (options.filesChecked ?? []).map(prefix);
  switch (format) {
    case 'text':
      return formatText(found, files, options.color ?? false);
    case 'sarif':
      return formatSarif(found, options.rules);
    case 'codequality':
      return formatCodeQuality(found);
    case 'junit':
      return formatJunit(found, files);
  }
}

/** Writes a report file, creating its folder; reports are data, so no colour. */
export function writeReport(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

/** One report of a run: to its file, or to the stream when it has none. */
export interface ReportTarget {
  format: ReportFormat;
  file?: string;
}

export interface EmitOptions extends Omit<FormatOptions, 'color' | 'pathPrefix'> {
  format: ReportFormat;
  /** Report file instead of the stream. */
  output?: string;
  /** Config root as given on the command line; paths in CI reports are made relative to its repository's root. */
  root?: string;
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Where a run that writes only files says what it wrote (default stderr): the stream stays quiet. */
  notices?: NodeJS.WritableStream;
  env?: NodeJS.ProcessEnv;
}

/** Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

export function emitReport(diagnostics: readonly Diagnostic[], options: EmitOptions): void {
  emitReports(diagnostics, [{ format: options.format, file: options.output }], options);
}

/**
 * Every report of one run, from one compilation: each to its file, and at most one to the stream. When all
 * go to files, the stream gets nothing and `notices` one line naming the files, with the counts.
 */
export function emitReports(
  diagnostics: readonly Diagnostic[],
  targets: readonly ReportTarget[],
  options: Omit<EmitOptions, 'format' | 'output'>,
): void {
  const stream = options.stream ?? process.stdout;
  const root = options.root;
  // A person reads text from where they are; CI systems match paths against the repository's files.
  const prefix = (format: ReportFormat) =>
    root === undefined ? undefined : format === 'text' ? portable(relative(process.cwd(), root)) : repositoryPrefix(root);
  const base = (format: ReportFormat): FormatOptions => ({
    filesChecked: options.filesChecked,
    rules: options.rules,
    pathPrefix: prefix(format),
  });
  for (const { format, file } of targets) {
    if (file) writeReport(file, formatReport(format, diagnostics, base(format)));
    else
      stream.write(
        formatReport(format, diagnostics, format === 'text' ? { ...base(format), color: useColor(stream, options.env) } : base(format)),
      );
  }
  if (targets.every((t) => t.file)) {
    const counts = formatReport('text', diagnostics, base('text')).trimEnd().split('\n').at(-1);
    const written = targets.map((t) => `${t.file} (${t.format})`).join(', ');
    (options.notices ?? process.stderr).write(`modelgate: wrote ${written}. ${counts}\n`);
  }
}

const portable = (path: string) => path.split(sep).join('/');
