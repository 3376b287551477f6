// Prompt endpoints: variables checked against the prompt's JSON Schema, templates compiled with Handlebars (strict,
// no HTML escaping, built-in helpers only, no prototype access), versions chosen by weight. Everything is compiled
// when a config loads, once per distinct schema or template text in the process, so that a reload which leaves a
// prompt alone costs nothing for it (compiling a schema with ajv takes milliseconds). Schemas are checked against
// the meta-schema by a check compiled ahead of time in the bundle (json-schema-check.ts), not by ajv at start.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import Handlebars from 'handlebars';
import type { IRPrompt } from '../compiler/ir/types.ts';
import { badRequest } from './errors.ts';
import { META_SCHEMA_ID, metaSchemaCheck } from './json-schema-check.ts';
import { pick, weighted } from './weighted.ts';

export interface RenderedPrompt {
  version: string;
  messages: { role: string; content: string }[];
  temperature?: number;
  maxTokens?: number;
}

export interface CompiledPrompt {
  ir: IRPrompt;
  /** Checks the variables and renders the version chosen by weight; throws a 400 `GatewayError`. */
  render(variables: unknown): RenderedPrompt;
  /** With `expose`: its request schema's check (a 400 naming the field) and its response schema's. */
  contract?: PromptContract;
}

export interface PromptContract {
  /** Throws a 400 `GatewayError` naming the first field of `body` the request schema refuses. */
  checkRequest(body: unknown): void;
  /** With a response schema: the first schema error of an answer (`response/severity must be ...`), or undefined. */
  responseError?(value: unknown): string | undefined;
}

type Template = (context: unknown) => string;

const TEMPLATE_OPTIONS = { strict: true, noEscape: true, knownHelpersOnly: true } as const;
/** A config has a few dozen schemas and templates; a process that reloads forever must not grow forever. */
const CACHE_LIMIT = 10_000;

const ajv = new Ajv2020({ allErrors: false, strict: false, validateSchema: false });
addFormats.default(ajv);
const handlebars = Handlebars.create();
const validators = new Map<string, ValidateFunction>();
const templates = new Map<string, Template>();

function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, (value = make()));
  }
  return value;
}

/** Compiles a schema, refusing what ajv's own meta-schema check refuses, with ajv's message. */
function compileSchema(schema: Record<string, unknown>): ValidateFunction {
  if (schema.$schema !== undefined && schema.$schema !== META_SCHEMA_ID) throw new Error(`no schema with key or ref "${schema.$schema}"`);
  const check = metaSchemaCheck();
  if (!check(schema)) throw new Error(`schema is invalid: ${ajv.errorsText(check.errors)}`);
  return ajv.compile(schema);
}

/** The prompt's variables validator; throws an Error naming the prompt when the schema does not compile. */
export function variablesValidator(p: IRPrompt): ValidateFunction {
  try {
    return cached(validators, JSON.stringify(p.variables), () => compileSchema(p.variables));
  } catch (err) {
    throw new Error(`prompt "${p.name}": its variables schema does not compile: ${(err as Error).message}`);
  }
}

/** A schema of a prompt's contract; throws an Error naming the prompt when it does not compile. */
function contractValidator(p: IRPrompt, which: 'request' | 'response', schema: Record<string, unknown>): ValidateFunction {
  try {
    return cached(validators, JSON.stringify(schema), () => compileSchema(schema));
  } catch (err) {
    throw new Error(`prompt "${p.name}": its expose.${which} schema does not compile: ${(err as Error).message}`);
  }
}

/** The first error of a failed validation, its field named from `root`; the field's path for a 400's `param`. */
function firstError(validate: ValidateFunction, root: string): { message: string; field: string } {
  const e = validate.errors?.[0];
  const missing = e?.keyword === 'required' ? `/${(e.params as { missingProperty: string }).missingProperty}` : '';
  const extra = e?.keyword === 'additionalProperties' ? `/${(e.params as { additionalProperty: string }).additionalProperty}` : '';
  const field = `${root}${e?.instancePath ?? ''}${missing || extra}`;
  return { message: ajv.errorsText(validate.errors, { dataVar: root }), field };
}

function compileContract(p: IRPrompt): PromptContract | undefined {
  if (!p.expose) return undefined;
  const request = contractValidator(p, 'request', p.expose.request);
  const response = p.expose.response && contractValidator(p, 'response', p.expose.response);
  return {
    checkRequest(body) {
      if (request(body)) return;
      const { message, field } = firstError(request, 'body');
      throw badRequest('invalid_request_body', message, field);
    },
    ...(response ? { responseError: (value: unknown) => (response(value) ? undefined : firstError(response, 'response').message) } : {}),
  };
}

/** Compiles every prompt of a config; throws an Error naming prompt, version and message when one does not compile. */
export function compilePrompts(prompts: readonly IRPrompt[]): Map<string, CompiledPrompt> {
  return new Map(prompts.map((p) => [p.name, compilePrompt(p)]));
}

function compilePrompt(p: IRPrompt): CompiledPrompt {
  const validate = variablesValidator(p);
  const versions = new Map(
    Object.entries(p.versions).map(([name, v]) => [
      name,
      {
        ...v,
        templates: v.messages.map((m, i) => ({
          role: m.role,
          render: compileTemplate(m.content, `prompt "${p.name}" version ${name} message ${i}`),
        })),
      },
    ]),
  );
  const serve = weighted(p.serve.map((s) => ({ value: s.version, weight: s.weight })));

  const contract = compileContract(p);
  return {
    ir: p,
    ...(contract ? { contract } : {}),
    render(variables) {
      if (!validate(variables)) throw badRequest('invalid_variables', ajv.errorsText(validate.errors, { dataVar: 'variables' }));
      const name = pick(serve)!;
      const version = versions.get(name)!;
      const messages = version.templates.map((t) => {
        try {
          return { role: t.role, content: t.render(variables) };
        } catch (err) {
          // Strict mode: a variable the template uses is absent (the schema let it through as optional).
          throw badRequest('invalid_variables', `variables: ${(err as Error).message.split('\n')[0]}`);
        }
      });
      return { version: name, messages, temperature: version.temperature, maxTokens: version.maxTokens };
    },
  };
}

/** Precompiles (so syntax errors and unknown helpers fail the config load) and builds the template once. */
function compileTemplate(source: string, where: string): Template {
  try {
    return cached(templates, source, () => {
      const spec = handlebars.precompile(source, TEMPLATE_OPTIONS) as string;
      // The evaluation `Handlebars.compile` does internally on a template's first call, done now.
      return handlebars.template(new Function(`return ${spec}`)()) as Template;
    });
  } catch (err) {
    throw new Error(`${where}: the template does not compile: ${(err as Error).message.split('\n')[0]}`);
  }
}
