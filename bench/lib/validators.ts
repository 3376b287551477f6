// One compiled ajv validator per kind, straight from schema/*.schema.json: what the floor and the
// generator's test check documents against. No positions, no rules: the least a validator must do.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { isKind, type Kind } from '../../schema/kinds.ts';
import { loadSchemas } from '../../schema/load-schemas.ts';

export type KindValidators = Record<Kind, ValidateFunction>;

export function compileValidators(options: { allErrors?: boolean } = {}): KindValidators {
  const { common, kinds } = loadSchemas();
  const ajv = new Ajv2020({ strict: false, allErrors: options.allErrors ?? false });
  addFormats.default(ajv);
  ajv.addSchema(common);
  return Object.fromEntries(Object.entries(kinds).map(([kind, schema]) => [kind, ajv.compile(schema)])) as KindValidators;
}

/** Validates one document by its `kind`; returns ajv's error text, or undefined when valid. */
export function checkDocument(validators: KindValidators, doc: unknown): string | undefined {
  const kind = (doc as { kind?: unknown } | null)?.kind;
  if (!isKind(kind)) return `unknown kind ${JSON.stringify(kind)}`;
  const validate = validators[kind];
  return validate(doc) ? undefined : JSON.stringify(validate.errors);
}
