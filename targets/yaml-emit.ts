// YAML for the plain data the targets emit, written directly instead of through `yaml`'s document tree (building
// that tree was most of the time targets spent). The output must stay byte-identical to `stringify` with
// YAML_OPTIONS, so every decision below is ported from yaml 2.9.1's stringify/*.js (named in the comments) and
// checked against it by property tests. Anything else makes `emitYaml` return undefined, and callers use `stringify`.
export const YAML_OPTIONS = { sortMapEntries: true, lineWidth: 0, aliasDuplicateObjects: false, version: '1.1' } as const;

const INDENT_STEP = '  ';
/** Longer keys become explicit (`? key`) in stringifyPair; rare enough to leave to yaml. */
const MAX_IMPLICIT_KEY = 1024;

/**
 * Plain scalars that would read back as another type: the tests of the YAML 1.1 schema's default non-string tags,
 * written out (yaml-emit.test.ts checks them against yaml's own) so that a thread writing YAML does not load yaml.
 */
export const TYPED_LOOKALIKES: readonly RegExp[] = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
  /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
  /^[-+]?0b[0-1_]+$/,
  /^[-+]?0[0-7_]+$/,
  /^[-+]?[0-9][0-9_]*$/,
  /^[-+]?0x[0-9a-fA-F_]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
  /^<<$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
  /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:t|T|[ \t]+)([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\.[0-9]+)?)(?:[ \t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$/,
];
/** yaml's merge tag claims this string and writes it bare, in keys and values alike. */
const MERGE_KEY = '<<';
/** stringifyString: control characters and lone surrogates force double quotes. */
const NEEDS_DOUBLE_QUOTES = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
/** plainString: indicators, `: `, ` #`, edge whitespace and the like cannot be plain. */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
const BLOCK_END_NEWLINES = /(^|(?<!\n))\n+(?!\n|$)/g;

class Unsupported extends Error {}

/** The document `stringify(doc, YAML_OPTIONS)` would write, or undefined where this writer does not follow yaml. */
export function emitYaml(doc: unknown): string | undefined {
  if (doc === undefined) return undefined;
  try {
    return `${node(doc, '')}\n`;
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
}

function node(value: unknown, indent: string): string {
  switch (typeof value) {
    case 'string':
      return string(value, indent, false);
    case 'number':
      return number(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return String(value);
    case 'undefined': // only reached in arrays, where yaml writes null
      return 'null';
    case 'object':
      if (value === null) return 'null';
      if (hasToJson(value)) break;
      if (Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype) return seq(value, indent);
      if (isPlainObject(value)) return map(value, indent);
  }
  throw new Unsupported();
}

/** yaml writes what `toJSON` returns instead. */
function hasToJson(value: object): boolean {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

/** yaml reads an object with `Symbol.iterator` as a sequence. */
function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && !(Symbol.iterator in value);
}

/** stringifyNumber */
function number(value: number): string {
  if (Object.is(value, -0)) return '-0';
  if (Number.isFinite(value)) return String(value);
  return Number.isNaN(value) ? '.nan' : value < 0 ? '-.inf' : '.inf';
}

/** stringifyBlockCollection with `- ` items, which sit one step in. */
function seq(items: unknown[], indent: string): string {
  if (items.length === 0) return '[]';
  const itemIndent = indent + INDENT_STEP;
  let out = '';
  for (let i = 0; i < items.length; i++) out += `${i ? `\n${indent}` : ''}- ${node(items[i], itemIndent)}`;
  return out;
}

/** YAMLMap.from drops undefined values and sorts by key (code units, like Array#sort); stringifyPair per entry. */
function map(obj: Record<string, unknown>, indent: string): string {
  const inner = indent + INDENT_STEP;
  let out = '';
  for (const k of Object.keys(obj).sort()) {
    const value = obj[k];
    if (value === undefined) continue;
    const key = string(k, inner, true);
    if (key.length > MAX_IMPLICIT_KEY) throw new Unsupported();
    const text = node(value, inner);
    // A non-empty collection starts on the next line; `{}`, `[]` and scalars follow the colon.
    const sep = typeof value === 'object' && value !== null && text !== '{}' && text !== '[]' ? `\n${inner}` : ' ';
    out += `${out ? `\n${indent}` : ''}${key}:${sep}${text}`;
  }
  return out || '{}';
}

/** stringifyString and plainString. `indent` is '' only for a document that is a single scalar. */
function string(value: string, indent: string, implicitKey: boolean): string {
  if (value === MERGE_KEY) return value;
  if (NEEDS_DOUBLE_QUOTES.test(value)) return doubleQuoted(value, indent, implicitKey);
  const multiline = value.includes('\n');
  if (implicitKey && multiline) return quoted(value, indent, implicitKey);
  if (NOT_PLAIN.test(value)) return implicitKey || !multiline ? quoted(value, indent, implicitKey) : block(value, indent, false);
  if (multiline) return block(value, indent, false);
  if (DOCUMENT_MARKER.test(value)) {
    if (indent === '') return block(value, indent, true);
    if (implicitKey && indent === INDENT_STEP) return quoted(value, indent, implicitKey);
  }
  return TYPED_LOOKALIKES.some((test) => test.test(value)) ? quoted(value, indent, implicitKey) : value;
}

/** How a scalar's later lines are indented: as its node; at the top level, only where a line could read as a document marker. */
function continuationIndent(value: string, indent: string, force = false): string {
  return indent || (force || DOCUMENT_MARKER.test(value) ? INDENT_STEP : '');
}

/** quotedString with `singleQuote: null`: single quotes only for text with `"` and no `'`. */
function quoted(value: string, indent: string, implicitKey: boolean): string {
  return value.includes('"') && !value.includes("'") ? singleQuoted(value, indent, implicitKey) : doubleQuoted(value, indent, implicitKey);
}

function singleQuoted(value: string, indent: string, implicitKey: boolean): string {
  if ((implicitKey && value.includes('\n')) || /[ \t]\n|\n[ \t]/.test(value)) return doubleQuoted(value, indent, implicitKey);
  const lineIndent = continuationIndent(value, indent);
  return `'${value.replace(/'/g, "''").replace(/\n+/g, `$&\n${lineIndent}`)}'`;
}

/** doubleQuotedString: JSON with YAML's short escapes; outside keys, long text keeps its line breaks. */
function doubleQuoted(value: string, indent: string, implicitKey: boolean): string {
  const json = JSON.stringify(value);
  const lineIndent = continuationIndent(value, indent);
  let str = '';
  let start = 0;
  for (let i = 0, ch = json[i]; ch; ch = json[++i]) {
    if (ch === ' ' && json[i + 1] === '\\' && json[i + 2] === 'n') {
      // a space before a line break is escaped so that it is not folded away
      str += `${json.slice(start, i)}\\ `;
      i += 1;
      start = i;
      ch = '\\';
    }
    if (ch !== '\\') continue;
    if (json[i + 1] === 'u') {
      str += json.slice(start, i);
      const code = json.substr(i + 2, 4);
      str += SHORT_ESCAPES[code] ?? (code.startsWith('00') ? `\\x${code.slice(2)}` : json.substr(i, 6));
      i += 5;
      start = i + 1;
    } else if (json[i + 1] === 'n' && !(implicitKey || json[i + 2] === '"' || json.length < 40)) {
      // a quoted line break is folded, so one break is written as two
      str += `${json.slice(start, i)}\n\n`;
      while (json[i + 2] === '\\' && json[i + 3] === 'n' && json[i + 4] !== '"') {
        str += '\n';
        i += 2;
      }
      str += lineIndent;
      if (json[i + 2] === ' ') str += '\\';
      i += 1;
      start = i + 1;
    } else {
      i += 1;
    }
  }
  return start ? str + json.slice(start) : json;
}

/** JSON.stringify writes `\uXXXX` only for other controls below 0x20 and lone surrogates, so these are all of
 * yaml's short escapes that can apply (the rest, such as `\N` for U+0085, never meet a `\u` escape). */
const SHORT_ESCAPES: Record<string, string> = { '0000': '\\0', '0007': '\\a', '000b': '\\v', '001b': '\\e' };

/** blockString as a literal (`lineWidth: 0` never folds): chomping from the trailing breaks, an indentation
 * indicator when the text starts with a space. */
function block(value: string, indent: string, forceIndent: boolean): string {
  if (endsWithIndentedLine(value)) return quoted(value, indent, false);
  const lineIndent = continuationIndent(value, indent, forceIndent);
  let endStart = value.length;
  while (endStart > 0 && ' \t\n'.includes(value[endStart - 1])) endStart--;
  let end = value.substring(endStart);
  const endNl = end.indexOf('\n');
  const chomp = endNl === -1 ? '-' : value === end || endNl !== end.length - 1 ? '+' : '';
  if (end) {
    value = value.slice(0, -end.length);
    if (end.endsWith('\n')) end = end.slice(0, -1);
    end = end.replace(BLOCK_END_NEWLINES, `$&${lineIndent}`);
  }
  let startWithSpace = false;
  let startEnd = 0;
  let startNl = -1;
  for (; startEnd < value.length; ++startEnd) {
    const ch = value[startEnd];
    if (ch === ' ') startWithSpace = true;
    else if (ch === '\n') startNl = startEnd;
    else break;
  }
  let start = value.substring(0, startNl < startEnd ? startNl + 1 : startEnd);
  if (start) {
    value = value.substring(start.length);
    start = indentAfterBreaks(start, lineIndent);
  }
  const header = (startWithSpace ? (lineIndent ? '2' : '1') : '') + chomp;
  return `|${header}\n${lineIndent}${start}${indentAfterBreaks(value, lineIndent)}${end}`;
}

/** `value.replace(/\n+/g, `$&${indent}`)` (blank lines stay empty), without the regex: a ConfigMap part holds 512 KiB. */
function indentAfterBreaks(value: string, indent: string): string {
  let out = '';
  let at = 0;
  for (let nl = value.indexOf('\n'); nl !== -1; nl = value.indexOf('\n', at)) {
    let end = nl + 1;
    while (value.charCodeAt(end) === 10) end++;
    out += value.slice(at, end) + indent;
    at = end;
  }
  return out + value.slice(at);
}

/** `/\n[\t ]+$/.test(value)`, read from the end: the regex tries every line break of a large text. */
function endsWithIndentedLine(value: string): boolean {
  let i = value.length;
  while (i > 0 && (value[i - 1] === ' ' || value[i - 1] === '\t')) i--;
  return i < value.length && value[i - 1] === '\n';
}
