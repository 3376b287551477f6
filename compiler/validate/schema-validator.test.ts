import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isMap, isPair, isScalar, parseDocument, visit } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadSources } from '../load/load-project.ts';
import { createSchemaValidator } from './schema-validator.ts';

const ACME = new URL('../../fixtures/acme/', import.meta.url).pathname;
const validate = createSchemaValidator();

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

function findings(path: string, text: string) {
  const loaded = loadSources([{ path, text }]);
  return [...loaded.diagnostics, ...loaded.resources.flatMap(validate)];
}

/** Maps whose keys are the user's own names (labels, variables, JSON Schemas, patches...), not schema properties. */
const FREE_FORM = /(^|\.)(labels|resourceLabels|annotations|variables|headers|claims|versions|patch|schema|resource|rules)(\.|$)/;

describe('schema validation of the acme fixture', () => {
  it('accepts every file as it is', () => {
    for (const file of yamlFiles(ACME)) {
      expect(findings(relative(ACME, file), readFileSync(file, 'utf8')), file).toEqual([]);
    }
  });

  it('catches a typo in any property of any kind at the key, with a suggestion', () => {
    let checked = 0;
    for (const file of yamlFiles(ACME)) {
      const text = readFileSync(file, 'utf8');
      const doc = parseDocument(text);
      const keys: { offset: number; key: string; line: number }[] = [];
      visit(doc, {
        Pair(_k, pair, path) {
          if (!isScalar(pair.key) || typeof pair.key.value !== 'string') return;
          const dotted = path
            .filter(isPair)
            .map((p) => String((p.key as { value: unknown }).value))
            .join('.');
          if (FREE_FORM.test(dotted)) return;
          const offset = pair.key.range![0];
          keys.push({ offset, key: pair.key.value, line: text.slice(0, offset).split('\n').length });
        },
      });
      for (const { offset, key, line } of keys) {
        if (key.length < 4 || !isMap(doc.contents)) continue;
        const typo = key.slice(0, -1) + (key.endsWith('x') ? 'y' : 'x'); // `targets` -> `targetx`
        const mutated = text.slice(0, offset) + typo + text.slice(offset + key.length);
        const found = findings('f.yaml', mutated);
        const atKey = found.find((d) => d.line === line && d.message.includes(`Did you mean "${key}"?`));
        expect(atKey, `${relative(ACME, file)}:${line} ${key} -> ${typo}: ${JSON.stringify(found)}`).toBeDefined();
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});
