// Reads a Handlebars template's AST: which variable paths it uses, and what the gateway could not render.
import Handlebars from 'handlebars';

/** The helpers Handlebars ships; the gateway registers no others. */
const BUILTIN_HELPERS: ReadonlySet<string> = new Set(['if', 'unless', 'each', 'with', 'lookup', 'log']);

/** Properties every object inherits: a template naming one reaches Object.prototype, never a variable. */
const PROTOTYPE_NAMES: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

/** Marks "each item of the list" in a used path: `{{#each items}}{{name}}` uses `items.[].name`. */
export const ITEMS = '[]';

export interface TemplatePosition {
  /** 1-based line and column inside the template text. */
  line: number;
  column: number;
}

export interface TemplateUse extends TemplatePosition {
  path: readonly string[];
}

export interface TemplateProblem extends TemplatePosition {
  message: string;
}

export interface TemplateAnalysis {
  /** Set when the template does not parse; nothing else is then known. */
  syntaxError?: TemplateProblem;
  uses: TemplateUse[];
  /** Helpers, partials and decorators the gateway's renderer does not have. */
  unsupported: TemplateProblem[];
}

type Node = hbs.AST.Node;
type PathExpression = hbs.AST.PathExpression;

interface Scope {
  /** Path of the context object; undefined when it cannot be known statically. */
  base: readonly string[] | undefined;
  /** Block params (`as |item i|`) and the paths they stand for. */
  params: ReadonlyMap<string, readonly string[] | undefined>;
}

/**
 * Analyses by template text. Handlebars' parser costs ~0.1 ms per template and the pipeline runs the rules
 * once per environment over mostly the same templates; bounded so a long-lived process cannot grow it forever.
 */
const cache = new Map<string, TemplateAnalysis>();
const CACHE_LIMIT = 10_000;

/** What a template uses and what the gateway could not render. The result is shared: do not mutate it. */
export function analyzeTemplate(source: string): TemplateAnalysis {
  let analysis = cache.get(source);
  if (!analysis) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    analysis = analyze(source);
    cache.set(source, analysis);
  }
  return analysis;
}

function analyze(source: string): TemplateAnalysis {
  let program: hbs.AST.Program;
  try {
    program = Handlebars.parse(source);
  } catch (e) {
    return { syntaxError: describeTemplateError(e), uses: [], unsupported: [] };
  }
  const analysis: TemplateAnalysis = { uses: [], unsupported: [] };
  new Walker(analysis).program(program, [{ base: [], params: new Map() }]);
  analysis.unsupported.push(...prototypeReads(program));
  return analysis;
}

/**
 * `{{constructor.constructor}}`, `{{lookup this "__proto__"}}`: the renderers turn prototype access off, so such a
 * read renders as nothing at best; it is refused here, where the author can see why.
 */
function prototypeReads(program: hbs.AST.Program): TemplateProblem[] {
  const found: TemplateProblem[] = [];
  const report = (name: string, node: Node) =>
    found.push({ message: `\`${name}\` is not a variable: templates may not reach object prototypes`, ...position(node) });
  const visitor = new Handlebars.Visitor();
  visitor.PathExpression = (p) => {
    const name = p.parts.find((part) => PROTOTYPE_NAMES.has(part));
    if (name) report(name, p);
  };
  visitor.StringLiteral = (literal) => {
    if (PROTOTYPE_NAMES.has(literal.value)) report(literal.value, literal);
  };
  visitor.accept(program);
  return found;
}

/** A Handlebars error as one readable line with its position. */
export function describeTemplateError(e: unknown): TemplateProblem {
  const err = e as Error & { lineNumber?: number; column?: number };
  const lines = err.message.split('\n');
  const got = /got '([^']+)'$/.exec(lines[lines.length - 1]!)?.[1];
  const head = lines[0]!.replace(/:$/, '').replace(/ - \d+:\d+$/, '');
  const message = got === undefined ? head : `${head}: unexpected ${got === 'EOF' ? 'end of template' : got}`;
  const line = err.lineNumber ?? Number(/on line (\d+)/.exec(lines[0]!)?.[1] ?? 1);
  return { message, line, column: (err.column ?? 0) + 1 };
}

class Walker {
  constructor(private readonly out: TemplateAnalysis) {}

  program(program: hbs.AST.Program | undefined, scopes: Scope[]): void {
    for (const statement of program?.body ?? []) this.statement(statement, scopes);
  }

  private statement(node: Node, scopes: Scope[]): void {
    switch (node.type) {
      case 'MustacheStatement': {
        const m = node as hbs.AST.MustacheStatement;
        const isCall = m.params.length > 0 || m.hash?.pairs.length > 0;
        if (isCall) this.call(m, scopes);
        else this.expression(m.path, scopes);
        return;
      }
      case 'BlockStatement':
        return this.block(node as hbs.AST.BlockStatement, scopes);
      case 'PartialStatement':
      case 'PartialBlockStatement':
        return this.unsupported(node, 'partials (`{{> name}}`) are not available to prompt templates');
      case 'DecoratorBlock':
      case 'Decorator':
        return this.unsupported(node, 'decorators are not available to prompt templates');
      default:
        return; // content and comments
    }
  }

  private block(node: hbs.AST.BlockStatement, scopes: Scope[]): void {
    const name = node.path.original;
    const subject = node.params[0];
    const inner = (base: readonly string[] | undefined, itemPath = base): Scope => ({
      base,
      params: new Map(node.program.blockParams?.length ? [[node.program.blockParams[0]!, itemPath]] : []),
    });
    if (name === 'each' || name === 'with') {
      this.call(node, scopes);
      const target = subject?.type === 'PathExpression' ? this.resolve(subject as PathExpression, scopes) : undefined;
      const base = name === 'each' && target ? [...target, ITEMS] : target;
      this.program(node.program, [...scopes, inner(base)]);
    } else if (name === 'if' || name === 'unless') {
      this.call(node, scopes);
      this.program(node.program, scopes);
    } else if (node.params.length === 0 && !BUILTIN_HELPERS.has(name)) {
      // Mustache section `{{#customer}}...{{/customer}}`: enters the value as context.
      this.expression(node.path, scopes);
      this.program(node.program, [...scopes, inner(this.resolve(node.path, scopes))]);
    } else {
      this.call(node, scopes);
      this.program(node.program, scopes);
    }
    this.program(node.inverse, scopes);
  }

  private call(node: { path: Node; params: Node[]; hash?: hbs.AST.Hash }, scopes: Scope[]): void {
    const name = (node.path as PathExpression).original;
    if (node.path.type === 'PathExpression' && !BUILTIN_HELPERS.has(name)) {
      this.unsupported(node.path, `the helper \`${name}\` is not available to prompt templates (only ${[...BUILTIN_HELPERS].join(', ')})`);
    }
    for (const p of node.params) this.expression(p, scopes);
    for (const pair of node.hash?.pairs ?? []) this.expression(pair.value, scopes);
  }

  private expression(node: Node, scopes: Scope[]): void {
    if (node.type === 'SubExpression') return this.call(node as hbs.AST.SubExpression, scopes);
    if (node.type !== 'PathExpression') return; // literals
    const path = this.resolve(node as PathExpression, scopes);
    if (path && path.length > 0) this.out.uses.push({ path, ...position(node) });
  }

  /** The variable path an expression reads, relative to the template's root variables. */
  private resolve(p: PathExpression, scopes: Scope[]): readonly string[] | undefined {
    if (p.data) return p.parts[0] === 'root' ? p.parts.slice(1) : undefined; // @index, @key ...: not variables
    if (p.depth === 0 && p.parts.length > 0 && !p.original.startsWith('this')) {
      for (let i = scopes.length - 1; i >= 0; i--) {
        const param = scopes[i]!.params;
        if (param.has(p.parts[0]!)) {
          const base = param.get(p.parts[0]!);
          return base && [...base, ...p.parts.slice(1)];
        }
      }
    }
    const scope = scopes[Math.max(0, scopes.length - 1 - p.depth)]!;
    return scope.base && [...scope.base, ...p.parts];
  }

  private unsupported(node: Node, message: string): void {
    this.out.unsupported.push({ message, ...position(node) });
  }
}

function position(node: Node): TemplatePosition {
  return { line: node.loc?.start.line ?? 1, column: (node.loc?.start.column ?? 0) + 1 };
}
