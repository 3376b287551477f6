// Report entry points: format findings for a reader (text) or a tool (json, sarif, codequality, junit),
// and emit them to the terminal and, with --output, to a file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { sortDiagnostics, type Diagnostic } from '../../kernel/diagnostics.ts';
import { maskDiagnostic } from '../../kernel/mask.ts';
import type { RuleInfo } from '../../kernel/rule-registry.ts';
import { formatCodeQuality } from './codequality.ts';
import { formatJson } from './json.ts';
import { formatJunit } from './junit.ts';
import { formatSarif } from './sarif.ts';
import { formatText } from './text.ts';


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
  const sorted = sortDiagnostics(diagnostics).map(maskDiagnostic);
  if (format === 'json') return formatJson(sorted, options.filesChecked ?? []);
  const prefix = (path: string) => (options.pathPrefix && path ? `${options.pathPrefix.replace(/\/?$/, '/')}${path}` : path);
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

export interface EmitOptions extends Omit<FormatOptions, 'color' | 'pathPrefix'> {
  format: ReportFormat;
  /** Report file; the terminal then gets the text report. */
  output?: string;
  /** Config root as given on the command line; paths in CI reports are made relative to the working directory. */
  root?: string;
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  env?: NodeJS.ProcessEnv;
}

/** Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

export function emitReport(diagnostics: readonly Diagnostic[], options: EmitOptions): void {
  const stream = options.stream ?? process.stdout;
  const pathPrefix = options.root ? relative(process.cwd(), options.root).split('\\').join('/') : undefined;
  const base: FormatOptions = { filesChecked: options.filesChecked, rules: options.rules, pathPrefix };
  const color = useColor(stream, options.env);
  if (options.output) {
    writeReport(options.output, formatReport(options.format, diagnostics, base));
    stream.write(formatReport('text', diagnostics, { ...base, color }));
    return;
  }
  const terminal = options.format === 'text' ? { ...base, color } : base;
  stream.write(formatReport(options.format, diagnostics, terminal));
}
