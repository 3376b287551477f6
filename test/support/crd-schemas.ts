// Validates custom resources the way a Kubernetes API server would on create: the CRD's openAPIV3Schema (with
// defaults applied first, and unknown fields refused as `kubectl apply --validate=strict` does), then the CEL rules
// of its x-kubernetes-validations.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { evaluate } from '@marcbachmann/cel-js';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

// CommonJS: under NodeNext the default export is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

type Schema = Record<string, any>;
interface Doc {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string };
  [key: string]: unknown;
}

/** Objects with declared properties take no others, unless the schema says it keeps unknown fields. */
function closed(schema: Schema): Schema {
  if (Array.isArray(schema)) return schema.map(closed);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Schema = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === 'x-kubernetes-validations' ? v : closed(v)]));
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  return out;
}

/** CEL rules over the document, each evaluated with `self` bound to the value its schema node describes. */
function celProblems(schema: Schema, value: unknown, at: string): string[] {
  if (value === undefined || value === null || !schema) return [];
  const problems: string[] = [];
  for (const v of (schema['x-kubernetes-validations'] ?? []) as { rule: string; message?: string }[]) {
    if (v.rule.includes('oldSelf')) continue; // transition rules apply to updates only
    let ok: unknown;
    try {
      ok = evaluate(v.rule, { self: value });
    } catch (err) {
      problems.push(`${at}: rule ${v.rule} could not be evaluated: ${(err as Error).message}`);
      continue;
    }
    if (ok !== true) problems.push(`${at}: ${v.message ?? v.rule}`);
  }
  if (Array.isArray(value) && schema.items) value.forEach((item, i) => problems.push(...celProblems(schema.items, item, `${at}[${i}]`)));
  else if (typeof value === 'object' && schema.properties) {
    for (const [key, sub] of Object.entries(schema.properties as Record<string, Schema>)) {
      problems.push(...celProblems(sub, (value as Record<string, unknown>)[key], `${at}.${key}`));
    }
  }
  return problems;
}

export interface CrdValidator {
  kinds: string[];
  problems(doc: Doc): string[];
}

const loaded = new Map<string, CrdValidator | undefined>();

/**
 * Loads every CRD in `dir`; undefined when the directory is absent. Once per worker (the test files of a worker
 * share it), and each version's schema compiled on first use: compiling them all took about two seconds, most of
 * it for kinds a file never checks.
 */
export function loadCrds(dir: string): CrdValidator | undefined {
  if (!loaded.has(dir)) loaded.set(dir, readCrds(dir));
  return loaded.get(dir);
}

function readCrds(dir: string): CrdValidator | undefined {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
  } catch {
    return undefined;
  }
  const ajv = new Ajv({ strict: false, allErrors: true, useDefaults: true });
  addFormats(ajv);
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: Number.isInteger });
  const schemas = new Map<string, { schema: Schema; validate?: ValidateFunction }>();
  for (const file of files) {
    const crd = parse(readFileSync(path.join(dir, file), 'utf8'));
    for (const version of crd.spec.versions) {
      schemas.set(`${crd.spec.group}/${version.name} ${crd.spec.names.kind}`, { schema: version.schema.openAPIV3Schema as Schema });
    }
  }
  return {
    kinds: [...schemas.keys()],
    problems(doc) {
      const where = `${doc.kind}/${doc.metadata?.name ?? '?'}`;
      const entry = schemas.get(`${doc.apiVersion} ${doc.kind}`);
      if (!entry) return [`${where}: no CRD for ${doc.apiVersion} ${doc.kind}`];
      const copy = structuredClone(doc);
      entry.validate ??= ajv.compile(closed(entry.schema));
      if (!entry.validate(copy))
        return entry.validate.errors!.map(
          (e) =>
            `${where}${e.instancePath}: ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
        );
      return celProblems(entry.schema, copy, where);
    },
  };
}
