// Identity of a finding across runs, for GitLab's MR widget and SARIF result matching.
import { createHash } from 'node:crypto';
import type { Diagnostic } from '../../kernel/diagnostics.ts';

/**
 * Hashes what the finding is about (rule, file, resource, environment, message), not where it sits: adding a
 * line above a finding must not make it look new. Identical findings in one report get an occurrence number
 * so that GitLab, which keeps one entry per fingerprint, still shows each of them.
 */
export function fingerprints(diagnostics: readonly Diagnostic[]): string[] {
  const seen = new Map<string, number>();
  return diagnostics.map((d) => {
    const identity = [d.ruleId, d.file, d.resource ?? '', d.environment ?? '', d.message].join('\0');
    const occurrence = seen.get(identity) ?? 0;
    seen.set(identity, occurrence + 1);
    return createHash('sha256')
      .update(occurrence === 0 ? identity : `${identity}\0${occurrence}`)
      .digest('hex')
      .slice(0, 32);
  });
}
