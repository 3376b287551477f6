// Prompt endpoints: variables checked against the prompt's JSON Schema, templates compiled once per config with
// Handlebars (strict, no HTML escaping, built-in helpers only, no prototype access), versions chosen by weight.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import Handlebars from 'handlebars';
import type { IRPrompt, IRPromptVersion } from '../../../compiler/ir/types.ts';
import { badRequest } from './errors.ts';
import { pick, weighted, type Weighted } from './weighted.ts';

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
}

type Template = (context: unknown) => string;

const TEMPLATE_OPTIONS = { strict: true, noEscape: true, knownHelpersOnly: true } as const;

/** Compiles every prompt of a config; throws an Error naming the prompt and version when one does not compile. */
export function compilePrompts(prompts: readonly IRPrompt[]): Map<string, CompiledPrompt> {
  const ajv = new Ajv2020({ allErrors: false, strict: false });
  addFormats.default(ajv);
  const handlebars = Handlebars.create();
  return new Map(prompts.map((p) => [p.name, compilePrompt(p, ajv, handlebars)]));
}

function compilePrompt(p: IRPrompt, ajv: Ajv2020, handlebars: typeof Handlebars): CompiledPrompt {
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(p.variables);
  } catch (err) {
    throw new Error(`prompt "${p.name}": its variables schema does not compile: ${(err as Error).message}`);
  }
  const versions = new Map(
    Object.entries(p.versions).map(([name, v]) => [name, { ...v, templates: v.messages.map((m, i) => compileTemplate(handlebars, m.content, `prompt "${p.name}" version ${name} message ${i}`)) }]),
  );
  const serve: Weighted<string> = weighted(p.serve.map((s) => ({ value: s.version, weight: s.weight })));

  return {
    ir: p,
    render(variables) {
      if (!validate(variables)) throw badRequest('invalid_variables', ajv.errorsText(validate.errors, { dataVar: 'variables' }));
      const name = pick(serve)!;
      const version = versions.get(name)!;
      return { version: name, messages: renderMessages(version, variables), temperature: version.temperature, maxTokens: version.maxTokens };
    },
  };
}

function renderMessages(version: IRPromptVersion & { templates: Template[] }, variables: unknown) {
  return version.messages.map((m, i) => {
    try {
      return { role: m.role, content: version.templates[i](variables) };
    } catch (err) {
      // Strict mode: a variable the template uses is absent (the schema let it through as optional).
      throw badRequest('invalid_variables', `variables: ${(err as Error).message.split('\n')[0]}`);
    }
  });
}

/** Precompiles now (so syntax errors and unknown helpers fail the config load) and builds the template once. */
function compileTemplate(handlebars: typeof Handlebars, source: string, where: string): Template {
  let spec: string;
  try {
    spec = handlebars.precompile(source, TEMPLATE_OPTIONS) as string;
  } catch (err) {
    throw new Error(`${where}: the template does not compile: ${(err as Error).message.split('\n')[0]}`);
  }
  // The same evaluation `Handlebars.compile` does internally, done once instead of on the first call.
  return handlebars.template(new Function(`return ${spec}`)()) as Template;
}
