// Parses one YAML file into documents, refusing what is unsafe or ambiguous with a located diagnostic.
import {
  LineCounter,
  parseAllDocuments,
  visit,
  YAMLParseError,
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  type Document,
  type Node,
  type Pair,
  type CST,
  type YAMLError,
} from 'yaml';
import type { Diagnostic } from '../../kernel/diagnostics.ts';
import type { CoreRuleId } from '../../kernel/rule-registry.ts';
import { SpanRecorder, countLines, rangeOf, spanToLocation, type SourceText, type SpanIndex, type SpanKey } from './locate.ts';
import { excessiveNesting } from './nesting-depth.ts';

type CollectionItem = CST.BlockMap['items'][number];

/** Keys that could reach Object.prototype when a tool turns the YAML into objects. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Most alias expansions a document may make; billion-laughs files need millions. */
export const MAX_ALIAS_COUNT = 100;
/**
 * Most values aliases may add to a document. The count above stops billion laughs; this stops one big anchor
 * aliased many times (`*big` 100 times over a 100,000-item list), which is small on disk and huge in memory.
 */
export const MAX_ALIAS_EXPANSION = 10_000;
/** Deeper nesting than any real config; the limit keeps recursive walkers off the stack limit. */
export const MAX_DEPTH = 64;
/** What the estimate before parsing allows: far above real configs, far below what overflows yaml's parser. */
const MAX_SCANNED_DEPTH = 4 * MAX_DEPTH;
const TOO_DEEP_HINT = `Flatten the structure; no modelgate resource nests ${MAX_DEPTH} levels deep.`;

/** A document as plain data: what a parser thread can hand back. */
export interface ParsedDocument {
  index: number;
  value: unknown;
  /** Source spans of its nodes, for locating findings. */
  spans: SpanIndex;
}

export interface ParsedFile {
  documents: (ParsedDocument & { doc: Document })[];
  diagnostics: Diagnostic[];
  /** Line starts of the file, for locating findings in it. */
  lines: LineCounter;
}

/** Text without a byte-order mark: a BOM is no column; editors and CI annotations count from the first visible character. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function parseYamlFile(file: string, text: string): ParsedFile {
  const lineCounter = new LineCounter();
  const src: SourceText = { file, lineCounter };
  const diagnostics: Diagnostic[] = [];
  const error = (ruleId: CoreRuleId, message: string, start: number, end: number, hint?: string): void => {
    diagnostics.push({ ruleId, severity: 'error', message, hint, ...spanToLocation(src, start, end) });
  };

  const body = stripBom(text);
  const tooDeep = excessiveNesting(body, MAX_SCANNED_DEPTH);
  if (tooDeep !== undefined) {
    src.lineCounter = countLines(body);
    error(
      'yaml-too-deep',
      `Nested too deeply to be parsed (past ${MAX_SCANNED_DEPTH} levels or columns of indentation).`,
      tooDeep,
      tooDeep,
      TOO_DEEP_HINT,
    );
    return { documents: [], diagnostics, lines: src.lineCounter };
  }
  let docs: Document.Parsed[];
  try {
    // yaml's own duplicate-key check compares each key with every earlier one: quadratic in a mapping's size,
    // minutes for one of 200,000 keys. `duplicateKeys` finds the same keys in one pass.
    docs = parseAllDocuments(body, { lineCounter, uniqueKeys: false, keepSourceTokens: true, prettyErrors: false, strict: true });
  } catch (e) {
    if (e instanceof RangeError) {
      error('yaml-too-deep', `${file} is nested too deeply to be parsed.`, 0, 0, TOO_DEEP_HINT);
      return { documents: [], diagnostics, lines: lineCounter };
    }
    throw e;
  }
  if (!Array.isArray(docs)) docs = [docs];

  const documents: ParsedFile['documents'] = [];
  const mayAlias = body.includes('*');
  docs.forEach((doc, index) => {
    const before = diagnostics.length;
    for (const e of withDuplicateKeys(doc)) {
      const { ruleId, message, hint } = describeYamlError(e);
      error(ruleId, message, e.pos[0], e.pos[1], hint);
    }
    if (diagnostics.length > before) return;
    // An empty document, such as after a trailing `---`.
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return;
    const spans = walkDocument(doc, error);
    if (!spans) return;
    const [start, end] = doc.contents.range ?? [0, 0];
    const bomb = (detail: string) =>
      error(
        'yaml-alias-bomb',
        `Aliases in this document expand too much (${detail}).`,
        start,
        end,
        'Write the repeated values out, or use fewer aliases.',
      );
    // An alias needs a `*`: most files have none, and need no walk to count what aliases add.
    if (mayAlias && aliasExpansion(doc) > MAX_ALIAS_EXPANSION) return bomb(`more than ${MAX_ALIAS_EXPANSION} values`);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      if (e instanceof ReferenceError) return bomb(`more than ${MAX_ALIAS_COUNT} expansions`);
      throw e;
    }
    documents.push({ doc, index, value, spans });
  });
  return { documents, diagnostics, lines: src.lineCounter };
}

/** yaml's errors for a document with its duplicate keys among them, in order of position as yaml reported them. */
function withDuplicateKeys(doc: Document): YAMLError[] {
  const duplicates = duplicateKeys(doc).sort((a, b) => a - b);
  const errors: YAMLError[] = [];
  let d = 0;
  const addDuplicatesBefore = (offset: number): void => {
    for (; d < duplicates.length && duplicates[d]! < offset; d++) {
      errors.push(new YAMLParseError([duplicates[d]!, duplicates[d]! + 1], 'DUPLICATE_KEY', 'Map keys must be unique'));
    }
  };
  for (const e of doc.errors) {
    addDuplicatesBefore(e.pos[0]);
    errors.push(e);
  }
  addDuplicatesBefore(Infinity);
  return errors;
}

/**
 * Offsets of the keys that repeat an earlier key of their mapping, where yaml's `uniqueKeys: true` reports
 * them: scalar keys with equal values (`1` and `"1"` differ, `a` and `"a"` do not; NaN equals nothing), at the
 * end of the tokens before the key or, with none, where the previous entry ended.
 */
function duplicateKeys(doc: Document): number[] {
  const found: number[] = [];
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<unknown>();
      let offset = map.range![0] + (map.flow ? 1 : 0);
      for (const pair of map.items) {
        const { key } = pair;
        if (isScalar(key) && !Number.isNaN(key.value)) {
          if (!seen.has(key.value)) seen.add(key.value);
          else {
            const last = (pair.srcToken as CollectionItem | undefined)?.start.at(-1);
            found.push(last ? last.offset + last.source.length : offset);
          }
        }
        offset = ((pair.value ?? pair.key) as Node | null)?.range?.[2] ?? offset;
      }
    },
  });
  return found;
}

/** How many values the aliases of a document stand for, counting aliases within aliased nodes. */
function aliasExpansion(doc: Document): number {
  const sizes = new Map<unknown, number>();
  const size = (node: unknown): number => {
    if (isAlias(node)) return size(node.resolve(doc));
    if (!isCollection(node)) return 1;
    let n = sizes.get(node);
    if (n === undefined) {
      n = 1;
      for (const item of node.items) n += isPair(item) ? size(item.key) + size(item.value) : size(item);
      sizes.set(node, n);
    }
    return n;
  };
  let added = 0;
  visit(doc, { Alias: (_key, alias) => void (added += size(alias.resolve(doc))) });
  return added;
}

type ReportError = (rule: CoreRuleId, msg: string, s: number, e: number, hint?: string) => void;

/**
 * One walk over a document's AST, in document order: refuses forbidden and complex keys, aliases inside the
 * node they refer to and nesting past MAX_DEPTH (stopping there), and records the spans of the nodes that have
 * an object form. Undefined when something was refused.
 */
function walkDocument(doc: Document, error: ReportError): SpanIndex | undefined {
  const spans = new SpanRecorder();
  const ancestors: unknown[] = [];
  let ok = true;
  let tooDeep = false;
  const refuse = (node: unknown, ruleId: CoreRuleId, message: string, hint: string): void => {
    const [s, e] = rangeOf(node) ?? [0, 0];
    error(ruleId, message, s, e, hint);
    ok = false;
  };
  const checkPair = (pair: Pair): void => {
    if (isScalar(pair.key) && FORBIDDEN_KEYS.has(String(pair.key.value))) {
      refuse(
        pair.key,
        'forbidden-key',
        `The key "${String(pair.key.value)}" is not allowed: it can alter object prototypes.`,
        'Rename or remove the key.',
      );
    }
    if (pair.key !== null && !(isScalar(pair.key) && (pair.key.value === null || typeof pair.key.value !== 'object'))) {
      // `? [a, b]: x` or `!!binary aGk=: x` has no object form (yaml would stringify it, warning on the
      // terminal); an alias key (`*k: x`) would slip a forbidden key past the check above.
      refuse(
        pair.key,
        'yaml-complex-key',
        'A key must be a plain value, not an alias, a list, a mapping or binary data.',
        'Write the key out as a plain string.',
      );
    }
  };
  // `record` is false below a node without an object form (a complex key, a pair in a list): checked, not indexed.
  const walk = (node: unknown, key: SpanKey | undefined, record: boolean): void => {
    if (tooDeep) return;
    if (isAlias(node)) {
      // `&a [*a]`: the value would contain itself, and every walker over it would recurse until the stack ends.
      const target = node.resolve(doc);
      if (target && ancestors.includes(target)) {
        refuse(
          node,
          'yaml-recursive-alias',
          `The alias *${node.source} is inside the node it refers to: the value would contain itself.`,
          'Point the alias at a node outside its anchor, or write the value out.',
        );
      }
    } else if (isPair(node)) {
      checkPair(node);
      walk(node.key, undefined, false);
      walk(node.value, undefined, false);
    } else if (isCollection(node)) {
      if (ancestors.length >= MAX_DEPTH) {
        refuse(
          node,
          'yaml-too-deep',
          `Nesting deeper than ${MAX_DEPTH} levels.`,
          'Flatten the structure; no modelgate resource nests this deep.',
        );
        tooDeep = true;
        return;
      }
      const at = record ? spans.open(node, key) : -1;
      ancestors.push(node);
      if (isMap(node)) {
        const seen = new Set<string>();
        for (const pair of node.items) {
          checkPair(pair);
          walk(pair.key, undefined, false);
          const text = isScalar(pair.key) ? String(pair.key.value) : undefined;
          const indexed = record && text !== undefined && !seen.has(text);
          if (indexed) seen.add(text);
          walk(pair.value, indexed ? { text, range: rangeOf(pair.key) } : undefined, indexed);
        }
      } else {
        for (const item of node.items) walk(item, undefined, record);
      }
      ancestors.pop();
      if (record) spans.close(at);
      return;
    }
    if (record) spans.leaf(node, key);
  };
  walk(doc.contents, undefined, true);
  return ok ? spans.index() : undefined;
}

function describeYamlError(e: YAMLError): { ruleId: CoreRuleId; message: string; hint: string } {
  switch (e.code) {
    case 'DUPLICATE_KEY':
      return {
        ruleId: 'duplicate-key',
        message: 'Duplicate key: a later value would silently replace the earlier one.',
        hint: 'Remove one of the two keys.',
      };
    case 'RESOURCE_EXHAUSTION': // yaml's parser ran out of stack: thousands of nesting levels
      return { ruleId: 'yaml-too-deep', message: 'Nested too deeply to be parsed.', hint: TOO_DEEP_HINT };
    default:
      return { ruleId: 'yaml-syntax', message: firstLine(e.message), hint: 'Fix the YAML syntax at this position.' };
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
