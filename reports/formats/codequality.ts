// GitLab Code Quality (Code Climate subset). GitLab stops reading at the first entry it finds invalid and drops
// the rest, so every entry is built to pass its checks: non-empty strings, a whole line number >= 1.
import type { Diagnostic, Severity } from '../../kernel/diagnostics.ts';
import { fingerprints } from './fingerprint.ts';

export type CodeQualitySeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

export interface CodeQualityEntry {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: CodeQualitySeverity;
  location: { path: string; lines: { begin: number } };
}

const SEVERITY: Record<Severity, CodeQualitySeverity> = { error: 'major', warning: 'minor', info: 'info' };

/** Suppressed findings are left out: GitLab has no notion of a waiver and would show them as new issues. */
export function formatCodeQuality(diagnostics: readonly Diagnostic[]): string {
  const prints = fingerprints(diagnostics);
  const entries: CodeQualityEntry[] = diagnostics.flatMap((d, i) =>
    d.suppressed
      ? []
      : [
          {
            description: d.message.trim() || d.ruleId,
            check_name: d.ruleId,
            fingerprint: prints[i]!,
            severity: SEVERITY[d.severity],
            location: { path: d.file || '.', lines: { begin: Number.isInteger(d.line) && d.line >= 1 ? d.line : 1 } },
          },
        ],
  );
  return `${JSON.stringify(entries, null, 2)}\n`;
}
