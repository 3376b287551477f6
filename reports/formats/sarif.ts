// SARIF 2.1.0 for code-scanning UIs: one run, every rule it could report under, one result per finding.
import type { Diagnostic, Severity } from '../../kernel/diagnostics.ts';
import { VERSION } from '../../kernel/version.ts';
import { fingerprints } from './fingerprint.ts';
import type { RuleInfo } from '../../kernel/rule-registry.ts';
import { rulesFor } from './rule-meta.ts';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export function formatSarif(diagnostics: readonly Diagnostic[], rules: readonly RuleInfo[] = []): string {
  const driverRules = rulesFor(
    diagnostics.map((d) => d.ruleId),
    rules,
  );
  const ruleIndex = new Map(driverRules.map((r, i) => [r.id, i]));
  const prints = fingerprints(diagnostics);
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'modelgate',
            version: VERSION,
            informationUri: 'https://modelgate.dev',
            rules: driverRules.map((r) => ({
              id: r.id,
              shortDescription: { text: r.title },
              fullDescription: { text: r.help },
              defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
            })),
          },
        },
        // Columns come from JavaScript string offsets.
        columnKind: 'utf16CodeUnits',
        results: diagnostics.map((d, i) => ({
          ruleId: d.ruleId,
          ruleIndex: ruleIndex.get(d.ruleId),
          level: LEVEL[d.severity],
          message: { text: d.hint ? `${d.message} ${d.hint}` : d.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(d.file) },
                region: region(d),
              },
            },
          ],
          partialFingerprints: { 'modelgate/v1': prints[i] },
          ...(d.suppressed
            ? {
                suppressions: [
                  {
                    kind: 'external',
                    status: 'accepted',
                    justification: d.suppressed.reason,
                    properties: { exception: d.suppressed.exception, owner: d.suppressed.owner },
                  },
                ],
              }
            : {}),
          ...(d.resource || d.environment ? { properties: { resource: d.resource, environment: d.environment } } : {}),
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** SARIF regions are 1-based with an exclusive end column, which is what the loader records. */
function region(d: Diagnostic): Record<string, number> {
  const startLine = Math.max(1, d.line);
  const startColumn = Math.max(1, d.column);
  const endLine = Math.max(startLine, d.endLine);
  const endColumn = endLine === startLine ? Math.max(startColumn, d.endColumn) : Math.max(1, d.endColumn);
  return { startLine, startColumn, endLine, endColumn };
}
