// Counts every report states the same way: suppressed findings are counted apart, never as errors.
import type { Diagnostic } from '../../kernel/diagnostics.ts';

export interface Summary {
  errors: number;
  warnings: number;
  infos: number;
  suppressed: number;
  /** Files with at least one finding that is not suppressed. */
  filesWithFindings: number;
  filesChecked: number;
}

export function summarize(diagnostics: readonly Diagnostic[], filesChecked: readonly string[] = []): Summary {
  const active = diagnostics.filter((d) => !d.suppressed);
  return {
    errors: active.filter((d) => d.severity === 'error').length,
    warnings: active.filter((d) => d.severity === 'warning').length,
    infos: active.filter((d) => d.severity === 'info').length,
    suppressed: diagnostics.length - active.length,
    filesWithFindings: new Set(active.map((d) => d.file)).size,
    filesChecked: checkedFiles(diagnostics, filesChecked).length,
  };
}

/** Every file the run looked at, sorted: those read plus those refused (too large, unreadable). */
export function checkedFiles(diagnostics: readonly Diagnostic[], filesChecked: readonly string[]): string[] {
  return [...new Set([...filesChecked, ...diagnostics.map((d) => d.file)])].filter(Boolean).sort();
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
