// The kinds' JSON Schemas as ajv validate functions. Compiling them costs ≈0.4 s, a third of a small repo's
// `validate`, so `npm ci` prebuilds them as standalone code (scripts/build-cli.ts); that code is used only while
// the schemas, this file and ajv are what it was generated from, else the schemas are compiled here. The JSON
// Schema 2020-12 meta-schema, which checks the schemas of Policy documents, is prebuilt beside them (≈0.1 s).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import standaloneModule from 'ajv/dist/standalone/index.js';
import addFormatsModule from 'ajv-formats';
import { VALIDATORS_INPUTS_FILE, VALIDATORS_MODULE, isFresh } from '../../kernel/prebuilt.mjs';
import { COMMON_SCHEMA_FILE, KIND_SCHEMA_FILES, type Kind } from '../../schema/kinds.ts';
import { loadSchemas } from '../../schema/load-schemas.ts';
import { PACKAGE_ROOT } from '../../schema/package-root.ts';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const standaloneCode = standaloneModule as unknown as typeof standaloneModule.default;

export type KindValidators = (kind: Kind) => ValidateFunction;

/** What the prebuilt code depends on besides itself: a change to any of them makes it stale. */
export const VALIDATOR_INPUTS: readonly string[] = [
  'compiler/validate/kind-validators.ts',
  'node_modules/ajv/package.json',
  'node_modules/ajv-formats/package.json',
  ...[COMMON_SCHEMA_FILE, ...Object.values(KIND_SCHEMA_FILES)].map((file) => `schema/${file}`),
];

/** Every error at once, with the schema that failed (the diagnostics name known properties and alternatives). */
function kindsAjv(source: boolean): { ajv: Ajv2020; ids: Record<Kind, string> } {
  const ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true, code: { source } });
  addFormats(ajv);
  const { common, kinds } = loadSchemas();
  ajv.addSchema(common);
  for (const schema of Object.values(kinds)) ajv.addSchema(schema);
  const ids = Object.fromEntries(Object.entries(kinds).map(([kind, schema]) => [kind, schema.$id as string])) as Record<Kind, string>;
  return { ajv, ids };
}

export const META_SCHEMA_ID = 'https://json-schema.org/draft/2020-12/schema';
/** The prebuilt module's export of the meta-schema; no kind is named so. */
const META_SCHEMA_EXPORT = 'metaSchema2020';

/** The prebuilt validators when they are fresh under `root`, else undefined. */
function prebuilt(root: string): Record<Kind | typeof META_SCHEMA_EXPORT, ValidateFunction> | undefined {
  if (!isFresh(root, VALIDATORS_INPUTS_FILE)) return undefined;
  return createRequire(import.meta.url)(join(root, VALIDATORS_MODULE));
}

/** One validate function per kind: the prebuilt ones when fresh, else compiled on first use. */
export function kindValidators(root: string = PACKAGE_ROOT): KindValidators {
  const validators = prebuilt(root);
  if (validators) return (kind) => validators[kind];
  const { ajv, ids } = kindsAjv(false);
  return (kind) => ajv.getSchema(ids[kind])!;
}

/**
 * The prebuilt 2020-12 meta-schema validator (every error, formats checked), or undefined when it is not fresh:
 * the caller's ajv then compiles the meta-schema itself.
 */
export function prebuiltMetaSchema(root: string = PACKAGE_ROOT): ValidateFunction | undefined {
  return prebuilt(root)?.[META_SCHEMA_EXPORT];
}

/** The CommonJS module `kindValidators` loads: one export per kind, and the meta-schema's. */
export function kindValidatorsSource(): string {
  const { ajv, ids } = kindsAjv(true);
  return standaloneCode(ajv, { ...ids, [META_SCHEMA_EXPORT]: META_SCHEMA_ID });
}
