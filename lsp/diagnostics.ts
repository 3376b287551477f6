// The compiler's findings as the editor shows them, and the quick fixes for those that end in a
// "Did you mean ...?" suggestion: the same rule ids, messages and hints as `modelgate validate`.
import {
  type CodeAction,
  CodeActionKind,
  DiagnosticSeverity,
  type Diagnostic as EditorDiagnostic,
  type Range,
} from 'vscode-languageserver';
import type { Diagnostic } from '../kernel/diagnostics.ts';
import { lineStarts, offsetOf, positionOf, toRange } from './positions.ts';

export const SOURCE = 'modelgate';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information } as const;

export function toEditorDiagnostic(d: Diagnostic): EditorDiagnostic {
  const waived = d.suppressed && `Suppressed by ${d.suppressed.exception} (owner ${d.suppressed.owner}): ${d.suppressed.reason}`;
  return {
    range: toRange(d),
    // A waived finding no longer counts as an error; it stays visible, as in the text report.
    severity: d.suppressed ? DiagnosticSeverity.Hint : SEVERITY[d.severity],
    code: d.ruleId,
    source: d.environment ? `${SOURCE} (env ${d.environment})` : SOURCE,
    message: [d.message, d.hint, waived].filter(Boolean).join('\n'),
  };
}

const DID_YOU_MEAN = /Did you mean "([^"]+)"\?/;
const NAME_CHAR = /[A-Za-z0-9_-]/;

/** The quick fix that writes the suggested name in place of the misspelt one, when the finding has a suggestion. */
export function suggestionFix(d: EditorDiagnostic, uri: string, text: string): CodeAction | undefined {
  if (!String(d.source).startsWith(SOURCE)) return undefined;
  const match = DID_YOU_MEAN.exec(d.message);
  if (!match) return undefined;
  const suggestion = match[1]!;
  const range = misspelt(text, d.range, d.message.slice(0, match.index));
  if (!range) return undefined;
  return {
    title: `Change to "${suggestion}"`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    isPreferred: true,
    edit: { changes: { [uri]: [{ range, newText: suggestion }] } },
  };
}

/**
 * The range of the misspelt word within the finding's span: a name the message quotes ("x", or the last step
 * of `a.b.x`), or else the whole scalar the finding points at.
 */
function misspelt(text: string, range: Range, message: string): Range | undefined {
  const starts = lineStarts(text);
  const from = offsetOf(starts, range.start);
  const span = text.slice(from, offsetOf(starts, range.end));
  const at = (offset: number, length: number): Range => ({
    start: positionOf(starts, from + offset),
    end: positionOf(starts, from + offset + length),
  });
  const words = [...message.matchAll(/"([^"]+)"|`([^`]+)`/g)].map((m) => m[1] ?? m[2]!.split('.').pop()!);
  for (const word of words) {
    for (let i = span.indexOf(word); i >= 0; i = span.indexOf(word, i + 1)) {
      if (!NAME_CHAR.test(span[i - 1] ?? ' ') && !NAME_CHAR.test(span[i + word.length] ?? ' ')) return at(i, word.length);
    }
  }
  const quote = /^(["']).*\1$/.test(span) ? 1 : 0;
  const inner = span.slice(quote, span.length - quote);
  return inner !== '' && !/\s/.test(inner) ? at(quote, inner.length) : undefined;
}
