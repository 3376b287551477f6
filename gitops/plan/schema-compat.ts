// What a change to a JSON Schema does to the set of values it accepts, difference by difference: a change
// `narrows` (accepts less: a required field added, a type narrowed, an enum value removed), `widens` (accepts
// more) or `changes` (neither includes the other: a required field removed from a closed object, a type swapped).
// Whether that breaks anyone depends on who writes the values: callers write a request, so narrowing breaks them;
// they read a response, so widening does (a field no longer guaranteed, a new enum value to handle).
// Pure; compares the keywords prompt contracts use and calls any other difference a `changes`.

import { deepEqual as same } from './value-diff.ts';

type Schema = Record<string, unknown>;

export type Effect = 'narrows' | 'widens' | 'changes';

export interface SchemaChange {
  /** JSON Pointer-like location of the value (`/review/severity`, `/items/[]`); '' for the root. */
  path: string;
  effect: Effect;
  /** `required field \`severity\` removed`, `type narrowed from ["string","null"] to "string"`. */
  what: string;
}

/** Who writes the values the schema describes: the caller (a request) or the gateway (a response). */
export type Direction = 'request' | 'response';

/** Whether `change` breaks callers of a schema used in `direction`. */
export function isBreaking(change: SchemaChange, direction: Direction): boolean {
  return change.effect === 'changes' || change.effect === (direction === 'request' ? 'narrows' : 'widens');
}

/** Words that describe and never constrain. */
const ANNOTATIONS = new Set(['title', 'description', 'examples', 'default', '$comment', 'deprecated', 'readOnly', 'writeOnly']);
const HANDLED = new Set(['type', 'enum', 'const', 'properties', 'required', 'additionalProperties', 'items']);
/** Bounds: for a `min` a larger value narrows, for a `max` a smaller one. */
const BOUNDS: Readonly<Record<string, 'min' | 'max'>> = {
  minimum: 'min',
  exclusiveMinimum: 'min',
  minLength: 'min',
  minItems: 'min',
  minProperties: 'min',
  maximum: 'max',
  exclusiveMaximum: 'max',
  maxLength: 'max',
  maxItems: 'max',
  maxProperties: 'max',
};

export function schemaChanges(before: unknown, after: unknown, path = ''): SchemaChange[] {
  const b = asSchema(before);
  const a = asSchema(after);
  const out: SchemaChange[] = [];
  const add = (effect: Effect, what: string, at = path) => out.push({ path: at, effect, what });
  typeChange(b.type, a.type, add);
  valuesChange(b, a, add);
  objectChanges(b, a, path, out);
  if (b.items !== undefined || a.items !== undefined) out.push(...schemaChanges(b.items ?? {}, a.items ?? {}, `${path}/[]`));
  for (const key of [...new Set([...Object.keys(b), ...Object.keys(a)])].sort()) {
    if (ANNOTATIONS.has(key) || HANDLED.has(key) || same(b[key], a[key])) continue;
    if (b[key] === undefined) add('narrows', `\`${key}\` ${show(a[key])} added`);
    else if (a[key] === undefined) add('widens', `\`${key}\` ${show(b[key])} removed`);
    else if (key in BOUNDS && typeof b[key] === 'number' && typeof a[key] === 'number') {
      const larger = (a[key] as number) > (b[key] as number);
      add(larger === (BOUNDS[key] === 'min') ? 'narrows' : 'widens', `\`${key}\` ${show(b[key])} → ${show(a[key])}`);
    } else add('changes', `\`${key}\` ${show(b[key])} → ${show(a[key])}`);
  }
  return out;
}

/** `true` as a schema accepts everything; `false` nothing (read as `{not: {}}`, compared as a keyword). */
function asSchema(s: unknown): Schema {
  if (s === true || s === undefined) return {};
  if (s === false) return { not: {} };
  return s as Schema;
}

const ALL_TYPES = ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string'];

/** The JSON types a `type` keyword admits (`number` admits the integers). */
function typeSet(type: unknown): Set<string> {
  const listed = type === undefined ? ALL_TYPES : Array.isArray(type) ? (type as string[]) : [type as string];
  const set = new Set(listed);
  if (set.has('number')) set.add('integer');
  return set;
}

function typeChange(before: unknown, after: unknown, add: (e: Effect, what: string) => void): void {
  if (same(before, after)) return;
  const [b, a] = [typeSet(before), typeSet(after)];
  const subset = (x: Set<string>, y: Set<string>) => [...x].every((t) => y.has(t));
  const named = (t: unknown) => (t === undefined ? 'any' : show(t));
  const what = (verb: string) => `type ${verb} from ${named(before)} to ${named(after)}`;
  if (subset(a, b) && subset(b, a)) return;
  if (subset(a, b)) add('narrows', what('narrowed'));
  else if (subset(b, a)) add('widens', what('widened'));
  else add('changes', what('changed'));
}

/** `enum` and `const` as sets of allowed values: each value removed narrows, each added widens. */
function valuesChange(b: Schema, a: Schema, add: (e: Effect, what: string) => void): void {
  const values = (s: Schema) => (s.const !== undefined ? [s.const] : Array.isArray(s.enum) ? s.enum : undefined);
  const [was, now] = [values(b), values(a)];
  if (was === undefined && now === undefined) return;
  if (was === undefined) return add('narrows', `values limited to ${show(now)}`);
  if (now === undefined) return add('widens', `values no longer limited to ${show(was)}`);
  const [wasText, nowText] = [was.map(show), now.map(show)];
  for (const v of wasText) if (!nowText.includes(v)) add('narrows', `enum value ${v} removed`);
  for (const v of nowText) if (!wasText.includes(v)) add('widens', `enum value ${v} added`);
}

/** Properties, `required` and `additionalProperties`, field by field. */
function objectChanges(b: Schema, a: Schema, path: string, out: SchemaChange[]): void {
  const props = (s: Schema) => (s.properties ?? {}) as Record<string, unknown>;
  const required = (s: Schema) => new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  const closed = (s: Schema) => s.additionalProperties === false;
  const [bp, ap, br, ar] = [props(b), props(a), required(b), required(a)];
  const names = [...new Set([...Object.keys(bp), ...Object.keys(ap), ...br, ...ar])].sort();
  for (const name of names) {
    const at = `${path}/${name}`;
    const [inB, inA] = [name in bp || br.has(name), name in ap || ar.has(name)];
    const field = `${br.has(name) ? 'required ' : ''}field \`${name}\``;
    if (inB && !inA) {
      // Gone from a closed object: now refused; from an open one: now anything. Refused after required: disjoint.
      const effect: Effect = !closed(a) ? 'widens' : br.has(name) ? 'changes' : 'narrows';
      out.push({ path: at, effect, what: `${field} removed` });
      continue;
    }
    if (!inB && inA) {
      // New in a closed object: now allowed; in an open one: now constrained. Required where it was refused: disjoint.
      const effect: Effect = closed(b) ? (ar.has(name) ? 'changes' : 'widens') : 'narrows';
      out.push({ path: at, effect, what: `${ar.has(name) ? 'required ' : ''}field \`${name}\` added` });
      continue;
    }
    if (!br.has(name) && ar.has(name)) out.push({ path: at, effect: 'narrows', what: `field \`${name}\` now required` });
    if (br.has(name) && !ar.has(name)) out.push({ path: at, effect: 'widens', what: `field \`${name}\` no longer required` });
    out.push(...schemaChanges(bp[name], ap[name], at));
  }
  if (closed(b) !== closed(a)) {
    out.push({ path, effect: closed(a) ? 'narrows' : 'widens', what: closed(a) ? 'other fields now refused' : 'other fields now allowed' });
  } else if (!closed(a) && !same(b.additionalProperties, a.additionalProperties)) {
    out.push({ path, effect: 'changes', what: '`additionalProperties` changed' });
  }
}

const show = (v: unknown) => JSON.stringify(v);
