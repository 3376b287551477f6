// Validates each resource against its kind's JSON Schema and maps ajv errors to located, readable diagnostics.
import type { ErrorObject } from 'ajv/dist/2020.js';
import type { Diagnostic } from '../../kernel/diagnostics.ts';
import { formatPath, pointerToPath } from '../../kernel/paths.ts';
import type { AnyResource, DocPath } from '../../kernel/resource.ts';
import { didYouMean } from '../../kernel/suggest.ts';
import { kindValidators } from './kind-validators.ts';

export type ResourceValidator = (resource: AnyResource) => Diagnostic[];

/** Compiles every kind's schema once (or loads them prebuilt); the returned function is pure and reusable. */
export function createSchemaValidator(): ResourceValidator {
  const validatorFor = kindValidators();
  return (resource) => {
    const validate = validatorFor(resource.kind);
    if (validate(resource.value)) return [];
    return toDiagnostics(resource, validate.errors ?? []);
  };
}

function toDiagnostics(resource: AnyResource, errors: ErrorObject[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const error of relevantErrors(errors)) {
    const { path, message, hint } = describe(error, resource.value);
    const key = `${formatPath(path)}\0${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const at = error.keyword === 'additionalProperties' ? 'key' : 'value';
    out.push({ ruleId: 'schema', severity: 'error', message, hint, resource: resource.id, ...resource.locate(path, at) });
  }
  return out;
}

/**
 * Drops ajv's bookkeeping errors: `if` failures (their `then` error says it) and the branch errors of an
 * `anyOf`/`oneOf`, which are replaced by one message for the whole alternative.
 */
function relevantErrors(errors: ErrorObject[]): ErrorObject[] {
  const alternatives = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  return errors.filter(
    (e) =>
      e.keyword !== 'if' &&
      !alternatives.some((a) => a !== e && e.schemaPath.startsWith(`${a.schemaPath}/`) && e.instancePath === a.instancePath),
  );
}

function describe(error: ErrorObject, root: unknown): { path: DocPath; message: string; hint?: string } {
  const path = pointerToPath(error.instancePath, root);
  const at = `\`${formatPath(path)}\``;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const property = String(params.additionalProperty);
      const known = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
      const suggestion = didYouMean(property, known);
      return {
        path: [...path, property],
        message: `\`${formatPath([...path, property])}\` is not a known property.${suggestion}`,
        hint: known.length ? `Known properties of ${at}: ${known.join(', ')}.` : undefined,
      };
    }
    case 'required':
      return {
        path,
        message: `${at} is missing the required property \`${String(params.missingProperty)}\`.`,
        hint: `Add \`${String(params.missingProperty)}\` to ${at}.`,
      };
    case 'dependentRequired': {
      const given = formatPath([...path, String(params.property)]);
      const missing = formatPath([...path, String(params.missingProperty)]);
      return {
        path: [...path, String(params.property)],
        message: `\`${given}\` needs \`${missing}\`, which is missing.`,
        hint: `Add \`${missing}\`, or remove \`${given}\`.`,
      };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const value = error.data;
      const suggestion = typeof value === 'string' ? didYouMean(value, allowed) : '';
      return { path, message: `${at} must be one of: ${allowed.join(', ')}.${suggestion}` };
    }
    case 'const':
      return { path, message: `${at} must be ${JSON.stringify(params.allowedValue)}.` };
    case 'type':
      return { path, message: `${at} must be ${article(String(params.type))}, not ${describeValue(error.data)}.` };
    case 'pattern':
      return { path, message: `${at} does not have the expected form.`, hint: schemaDescription(error) };
    case 'format':
      return { path, message: `${at} must be a valid ${String(params.format)}.` };
    case 'not':
      // `{not: {}}` forbids a property in one branch of an if/then; its description says why.
      return { path, message: `${at} is not allowed here.`, hint: schemaDescription(error) };
    case 'anyOf':
    case 'oneOf': {
      const branches = (error.schema as { required?: string[] }[]).map((s) => s.required).filter(Boolean);
      if (branches.length && branches.every((r) => r!.length === 1)) {
        const names = branches.map((r) => `\`${r![0]}\``).join(' or ');
        return { path, message: `${at} must have exactly one of ${names}.` };
      }
      return { path, message: `${at} does not match any allowed form.`, hint: schemaDescription(error) };
    }
    case 'minProperties':
    case 'maxProperties': {
      const schema = error.parentSchema as { properties?: object; minProperties?: number; maxProperties?: number };
      if (schema.minProperties !== 1 || schema.maxProperties !== 1 || !schema.properties) break;
      // A choice of one (a guardrail's checker): say which, and which were given (keys only, never values).
      const code = (s: string) => `\`${s}\``;
      const names = Object.keys(schema.properties).map(code).join(', ');
      const given = Object.keys(error.data as object);
      if (given.length === 0) return { path, message: `${at} must have exactly one of ${names}.`, hint: 'Add one.' };
      const [first, ...others] = given.map((n) => code(`${n}: null`));
      return {
        path,
        message: `${at} must have exactly one of ${names}; it has ${given.slice(0, -1).map(code).join(', ')} and ${code(given.at(-1)!)}.`,
        hint: `Keep one. An Environment patch that changes the checker removes the base's with ${first} (or ${others.join(', ')}).`,
      };
    }
  }
  return { path, message: `${at} ${error.message?.replace('>=', '≥').replace('<=', '≤') ?? 'is invalid'}.` };
}

function schemaDescription(error: ErrorObject): string | undefined {
  const description = (error.parentSchema as { description?: string } | undefined)?.description;
  return description ? `Expected: ${description}` : undefined;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  // String values are never echoed: a misplaced credential must not reach a report.
  if (typeof value === 'string') return 'a string';
  return `${typeof value} ${String(value)}`;
}
