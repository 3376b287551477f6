// `assert.schema` of Policy documents: a JSON Schema (2020-12) the matched resource must satisfy.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { formatPath, pointerToPath } from '../../kernel/paths.ts';
import type { DocPath } from '../../kernel/resource.ts';
import { checkSafeRegex } from '../../kernel/safe-regex.ts';
import { META_SCHEMA_ID, prebuiltMetaSchema } from '../../compiler/validate/kind-validators.ts';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export interface SchemaFailure {
  path: DocPath;
  /** `metadata.labels must have required property 'owner'`. Never the failing value itself. */
  detail: string;
}

export type Assertion = (document: unknown) => SchemaFailure[];

/** `pattern`s in policy schemas run on every matched resource: refuse the ones that can backtrack forever. */
const safeRegExp = Object.assign(
  (pattern: string, flags: string) => {
    const unsafe = checkSafeRegex(pattern);
    if (unsafe) throw new Error(`the pattern ${JSON.stringify(pattern)} is refused: ${unsafe}`);
    return new RegExp(pattern, flags);
  },
  { code: 'new RegExp' },
);

// The schemas are checked against the meta-schema by `checkSchema`, not by ajv on compile.
const ajv = new Ajv2020({ allErrors: true, strictTypes: false, strictTuples: false, validateSchema: false, code: { regExp: safeRegExp } });
addFormats(ajv);

/**
 * Throws, as ajv's compile would, when `schema` breaks its meta-schema. The 2020-12 one is checked by the prebuilt
 * validator when fresh: compiling it here would cost ≈0.1 s of every run that has a Policy document.
 */
function checkSchema(schema: Record<string, unknown>): void {
  const meta = schema.$schema === undefined || schema.$schema === META_SCHEMA_ID ? prebuiltMetaSchema() : undefined;
  if (!meta) ajv.validateSchema(schema, true);
  else if (!meta(schema)) throw new Error(`schema is invalid: ${ajv.errorsText(meta.errors)}`);
}

/** Compiled schemas by their JSON text: a policy is compiled once per process, whatever the environment. */
const compiled = new Map<string, ValidateFunction | string>();

/** The assertion, or why the schema cannot be used (unknown keyword, unsafe pattern, bad `$ref` ...). */
export function compileAssertion(schema: object): Assertion | string {
  const key = JSON.stringify(schema);
  let entry = compiled.get(key);
  if (entry === undefined) {
    try {
      // A copy without `$id`: two policies may reuse one id, and the ajv instance is shared.
      const { $id: _id, ...anonymous } = schema as Record<string, unknown>;
      checkSchema(anonymous);
      entry = ajv.compile(anonymous);
    } catch (e) {
      entry = (e as Error).message;
    }
    compiled.set(key, entry);
  }
  if (typeof entry === 'string') return entry;
  const validate = entry;
  return (document) => (validate(document) ? [] : failures(validate.errors ?? [], document));
}

/** One failure per failing node; an `anyOf`'s branch errors say no more than the `anyOf` error itself. */
function failures(errors: ErrorObject[], document: unknown): SchemaFailure[] {
  const byPath = new Map<string, SchemaFailure>();
  for (const e of errors) {
    if (e.keyword === 'if') continue;
    const params = e.params as { missingProperty?: string; additionalProperty?: string };
    const extra = params.missingProperty ?? params.additionalProperty;
    const path = [...pointerToPath(e.instancePath, document), ...(extra === undefined ? [] : [extra])];
    const at = e.keyword === 'required' || e.keyword === 'additionalProperties' ? path.slice(0, -1) : path;
    const key = formatPath(path);
    const named = e.keyword === 'additionalProperties' ? ` (\`${extra}\`)` : '';
    if (!byPath.has(key)) byPath.set(key, { path, detail: `${formatPath(at)} ${e.message ?? 'is invalid'}${named}` });
  }
  return [...byPath.values()];
}
