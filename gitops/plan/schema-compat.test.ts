// Breaking-change detection on JSON Schemas: one row per kind of change, with what it does to the accepted
// values and whether it breaks callers of a request schema (they write the values) and of a response schema
// (they read them).
import { describe, expect, it } from 'vitest';
import { isBreaking, schemaChanges, type Effect } from './schema-compat.ts';

const obj = (properties: Record<string, unknown>, required: string[] = [], extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties,
  required,
  ...extra,
});
const str = { type: 'string' };

interface Row {
  change: string;
  before: unknown;
  after: unknown;
  what: string;
  path: string;
  effect: Effect;
  breaks: { request: boolean; response: boolean };
}

const TABLE: Row[] = [
  {
    change: 'required field removed (open object)',
    before: obj({ a: str, b: str }, ['a', 'b']),
    after: obj({ a: str }, ['a']),
    what: 'required field `b` removed',
    path: '/b',
    effect: 'widens',
    breaks: { request: false, response: true },
  },
  {
    change: 'required field removed (closed object)',
    before: obj({ a: str, b: str }, ['a', 'b'], { additionalProperties: false }),
    after: obj({ a: str }, ['a'], { additionalProperties: false }),
    what: 'required field `b` removed',
    path: '/b',
    effect: 'changes',
    breaks: { request: true, response: true },
  },
  {
    change: 'optional field removed from a closed object',
    before: obj({ a: str, b: str }, [], { additionalProperties: false }),
    after: obj({ a: str }, [], { additionalProperties: false }),
    what: 'field `b` removed',
    path: '/b',
    effect: 'narrows',
    breaks: { request: true, response: false },
  },
  {
    change: 'type narrowed',
    before: obj({ a: { type: ['string', 'null'] } }),
    after: obj({ a: str }),
    what: 'type narrowed from ["string","null"] to "string"',
    path: '/a',
    effect: 'narrows',
    breaks: { request: true, response: false },
  },
  {
    change: 'type narrowed: number to integer',
    before: { type: 'number' },
    after: { type: 'integer' },
    what: 'type narrowed from "number" to "integer"',
    path: '',
    effect: 'narrows',
    breaks: { request: true, response: false },
  },
  {
    change: 'type widened',
    before: str,
    after: { type: ['string', 'number'] },
    what: 'type widened from "string" to ["string","number"]',
    path: '',
    effect: 'widens',
    breaks: { request: false, response: true },
  },
  {
    change: 'type changed',
    before: obj({ score: str }),
    after: obj({ score: { type: 'integer' } }),
    what: 'type changed from "string" to "integer"',
    path: '/score',
    effect: 'changes',
    breaks: { request: true, response: true },
  },
  {
    change: 'enum value removed',
    before: obj({ s: { enum: ['info', 'major', 'minor'] } }),
    after: obj({ s: { enum: ['info', 'major'] } }),
    what: 'enum value "minor" removed',
    path: '/s',
    effect: 'narrows',
    breaks: { request: true, response: false },
  },
  {
    change: 'enum value added',
    before: obj({ s: { enum: ['info'] } }),
    after: obj({ s: { enum: ['info', 'blocker'] } }),
    what: 'enum value "blocker" added',
    path: '/s',
    effect: 'widens',
    breaks: { request: false, response: true },
  },
  {
    change: 'required added (an existing field)',
    before: obj({ a: str, b: str }, ['a']),
    after: obj({ a: str, b: str }, ['a', 'b']),
    what: 'field `b` now required',
    path: '/b',
    effect: 'narrows',
    breaks: { request: true, response: false },
  },
  {
    change: 'required field added',
    before: obj({ a: str }, ['a']),
    after: obj({ a: str, b: str }, ['a', 'b']),
    what: 'required field `b` added',
    path: '/b',
    effect: 'narrows',
    breaks: { request: true, response: false },
  },
  {
    change: 'required no more',
    before: obj({ a: str }, ['a']),
    after: obj({ a: str }),
    what: 'field `a` no longer required',
    path: '/a',
    effect: 'widens',
    breaks: { request: false, response: true },
  },
  {
    change: 'optional field added to an open object',
    before: obj({ a: str }),
    after: obj({ a: str, b: str }),
    what: 'field `b` added',
    path: '/b',
    effect: 'narrows',
    breaks: { request: true, response: false },
  },
  {
    change: 'optional field added to a closed object',
    before: obj({ a: str }, [], { additionalProperties: false }),
    after: obj({ a: str, b: str }, [], { additionalProperties: false }),
    what: 'field `b` added',
    path: '/b',
    effect: 'widens',
    breaks: { request: false, response: true },
  },
  {
    change: 'object closed',
    before: obj({ a: str }),
    after: obj({ a: str }, [], { additionalProperties: false }),
    what: 'other fields now refused',
    path: '',
    effect: 'narrows',
    breaks: { request: true, response: false },
  },
  {
    change: 'a bound tightened',
    before: { type: 'string', maxLength: 200 },
    after: { type: 'string', maxLength: 100 },
    what: '`maxLength` 200 → 100',
    path: '',
    effect: 'narrows',
    breaks: { request: true, response: false },
  },
  {
    change: 'a bound loosened',
    before: { type: 'integer', minimum: 1 },
    after: { type: 'integer', minimum: 0 },
    what: '`minimum` 1 → 0',
    path: '',
    effect: 'widens',
    breaks: { request: false, response: true },
  },
  {
    change: 'a pattern added',
    before: str,
    after: { type: 'string', pattern: '^[a-z]+$' },
    what: '`pattern` "^[a-z]+$" added',
    path: '',
    effect: 'narrows',
    breaks: { request: true, response: false },
  },
  {
    change: 'in list items',
    before: { type: 'array', items: obj({ line: { type: 'integer' } }, ['line']) },
    after: { type: 'array', items: obj({}) },
    what: 'required field `line` removed',
    path: '/[]/line',
    effect: 'widens',
    breaks: { request: false, response: true },
  },
  {
    change: 'a keyword compared as a whole (anyOf)',
    before: { anyOf: [str, { type: 'null' }] },
    after: { anyOf: [str, { type: 'integer' }] },
    what: '`anyOf` [{"type":"string"},{"type":"null"}] → [{"type":"string"},{"type":"integer"}]',
    path: '',
    effect: 'changes',
    breaks: { request: true, response: true },
  },
];

describe('schema changes', () => {
  for (const row of TABLE) {
    it(`${row.change}: ${row.effect}`, () => {
      const changes = schemaChanges(row.before, row.after);
      expect(changes).toEqual([{ path: row.path, effect: row.effect, what: row.what }]);
      expect(isBreaking(changes[0]!, 'request'), 'breaks a request').toBe(row.breaks.request);
      expect(isBreaking(changes[0]!, 'response'), 'breaks a response').toBe(row.breaks.response);
    });
  }

  it('ignores descriptions, titles, examples and key order', () => {
    const before = { type: 'object', description: 'a review', properties: { a: { type: 'string', title: 'A' } }, required: ['a'] };
    const after = { required: ['a'], properties: { a: { examples: ['x'], type: 'string' } }, type: 'object' };
    expect(schemaChanges(before, after)).toEqual([]);
  });

  it('lists several changes field by field, in name order', () => {
    const before = obj({ b: str, a: { enum: [1, 2] } }, ['a', 'b']);
    const after = obj({ a: { enum: [1] }, c: str }, ['a']);
    expect(schemaChanges(before, after).map((c) => `${c.path} ${c.what}`)).toEqual([
      '/a enum value 2 removed',
      '/b required field `b` removed',
      '/c field `c` added',
    ]);
  });
});
