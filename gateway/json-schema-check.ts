// Whether a prompt's schema is a JSON Schema: the draft 2020-12 meta-schema's check, as ajv runs it before compiling
// a schema. Here it is compiled on first use; the bundle replaces this module with the same check compiled to code
// when the gateway is bundled (targets/node/bundle.ts), because compiling the meta-schema was the largest single
// cost of starting a gateway (about 65 ms of CPU at any size).
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';

export const META_SCHEMA_ID = 'https://json-schema.org/draft/2020-12/schema';

export interface SchemaCheck {
  (schema: unknown): boolean;
  errors?: ErrorObject[] | null;
}

let check: SchemaCheck | undefined;

export function metaSchemaCheck(): SchemaCheck {
  check ??= new Ajv2020({ allErrors: false, strict: false }).getSchema(META_SCHEMA_ID) as SchemaCheck;
  return check;
}
