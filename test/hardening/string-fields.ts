// Every string value of a config file, with where it is and what field holds it, so a test can put a value
// there: the YAML text is edited at the scalar's source range, comments and layout stay as they were.
import { isPair, isScalar, parseAllDocuments, visit } from 'yaml';
import type { SourceFile } from '../../compiler/load/load-project.ts';

export interface StringField {
  file: string;
  /** `kind` of the document holding it. */
  kind: string;
  /** Key of the nearest mapping entry above the value (`description`, `consumers` for a list item). */
  field: string;
  /** Keys from the document's root down to the value (`['metadata', 'description']`). */
  keys: string[];
  start: number;
  end: number;
  /** 1-based line of the value. */
  line: number;
}

export function stringFields(file: SourceFile): StringField[] {
  const fields: StringField[] = [];
  for (const doc of parseAllDocuments(file.text)) {
    const kind = String((doc.toJS() as { kind?: unknown } | null)?.kind);
    visit(doc, {
      Scalar(key, node, path) {
        if (key === 'key' || typeof node.value !== 'string' || !node.range) return;
        const keys = path.flatMap((p) => (isPair(p) && isScalar(p.key) ? [String(p.key.value)] : []));
        const [start, end] = node.range;
        const line = file.text.slice(0, start).split('\n').length;
        fields.push({ file: file.path, kind, field: keys[keys.length - 1] ?? '', keys, start, end, line });
      },
    });
  }
  return fields;
}

/** The file's text with the value at `field` replaced by `value`, written as a double-quoted YAML string. */
export function plant(text: string, field: StringField, value: string): string {
  // A block scalar's range (`>-` ... ) ends with its line break; the next key must stay on its own line.
  const lineBreak = text.slice(field.start, field.end).endsWith('\n') ? '\n' : '';
  return text.slice(0, field.start) + JSON.stringify(value) + lineBreak + text.slice(field.end);
}
