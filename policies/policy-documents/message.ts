// The Handlebars `message` of Policy documents, rendered with the matched resource and the environment in scope.
import Handlebars from 'handlebars';
import { analyzeTemplate, describeTemplateError } from '../handlebars-template.ts';
import { redactSecrets } from '../../kernel/secrets.ts';

/** An environment of its own: nothing registered globally by other code reaches policy messages. */
const hb = Handlebars.create();

export interface MessageScope {
  resource: unknown;
  environment: string | undefined;
}

export interface RenderedMessage {
  text: string;
  /** Set when a strict render failed (a field the resource lacks); `text` is then the lenient render. */
  problem?: string;
}

export type MessageTemplate = (scope: MessageScope) => RenderedMessage;

const OPTIONS = { noEscape: true, knownHelpersOnly: true } as const;
/** Prototype access stays off (Handlebars' default since 4.6), stated here so no upgrade turns it on. */
const RUNTIME = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false } as const;

/** Compiled messages by source text: compiling costs milliseconds and the same policies run per environment. */
const compiled = new Map<string, MessageTemplate | string>();

/** The template, or the error that keeps it from compiling. */
export function compileMessage(source: string): MessageTemplate | string {
  let entry = compiled.get(source);
  if (entry === undefined) {
    entry = compile(source);
    compiled.set(source, entry);
  }
  return entry;
}

function compile(source: string): MessageTemplate | string {
  try {
    hb.precompile(source, { ...OPTIONS, strict: true }); // syntax and unknown helpers, before any render
  } catch (e) {
    const { message, line, column } = describeTemplateError(e);
    return `${message} (line ${line}, column ${column})`;
  }
  // Prototype reads would render as nothing (access is off below); partials and decorators are not registered.
  const unsupported = analyzeTemplate(source).unsupported[0];
  if (unsupported) return `${unsupported.message} (line ${unsupported.line}, column ${unsupported.column})`;
  const strict = hb.compile(source, { ...OPTIONS, strict: true });
  const lenient = hb.compile(source, OPTIONS);
  const render = (template: HandlebarsTemplateDelegate, scope: MessageScope): string =>
    // A policy may quote any field of the resource; a planted credential must still not reach a report.
    redactSecrets(template(scope, RUNTIME)).trim();
  return (scope) => {
    try {
      return { text: render(strict, scope) };
    } catch (e) {
      const problem = (e as Error).message.split('\n')[0]!;
      try {
        return { text: render(lenient, scope), problem };
      } catch {
        return { text: source, problem };
      }
    }
  };
}
