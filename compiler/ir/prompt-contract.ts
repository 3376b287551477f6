// The request contract of an exposed prompt when its `expose` gives none: the body is the variables.

/** Each declared variable (a string unless its schema says otherwise), all required, no others. */
export function defaultRequestSchema(variables: Record<string, unknown>): Record<string, unknown> {
  const declared = (variables.properties ?? {}) as Record<string, Record<string, unknown>>;
  const names = Object.keys(declared).sort();
  const properties = Object.fromEntries(names.map((n) => [n, Object.keys(declared[n] ?? {}).length ? declared[n] : { type: 'string' }]));
  return { type: 'object', properties, required: names, additionalProperties: false };
}
