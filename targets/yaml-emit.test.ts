import fc from 'fast-check';
import { Document, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { toYaml } from './emit.ts';
import { emitYaml, TYPED_LOOKALIKES, YAML_OPTIONS } from './yaml-emit.ts';

const reference = (value: unknown): string => stringify(value, YAML_OPTIONS);

/** Pieces that make yaml quote, escape or pick a block style (each check in stringifyString has some). */
const NASTY = [
  ...['', ' ', '  ', '\t', '\n', '\n\n', '\r', '\r\n', ' \n', '\n ', '\t\n', '\n\t', 'a', 'b c', 'x'.repeat(30)],
  ...[':', ': ', ':\t', ' #', '#', '\t#', 'a#b', '-', '- ', '-\t', '?', '? ', '--', '---', '...', '%', '%YAML', '<<'],
  ...[',', '[', ']', '{', '}', '&', '*', '!', '|', '>', "'", '"', "''", '""', '@', '`', '\\', '\\n', '/', '=', '~'],
  ...['true', 'True', 'TRUE', 'false', 'on', 'On', 'ON', 'off', 'yes', 'Yes', 'no', 'NO', 'y', 'Y', 'n', 'N'],
  ...['null', 'Null', 'NULL', '0', '-0', '+1', '1_000', '0755', '0o7', '08', '0x1F', '0b101', '1e3', '1E-3', '.5'],
  ...['1.', '-1.5', '.inf', '-.Inf', '+.INF', '.nan', '.NaN', '12:30', '1:2:3', '190:20:30.15', '2024-01-01'],
  ...['2001-12-14t21:59:43.10-05:00', '2024-1-1 1:2:3 Z', '1e+21', 'NaN', 'Infinity'],
  ...['\x00', '\x07', '\x08', '\x0b', '\x0c', '\x1b', '\x1f', '\x7f', '\x80', '\x85', '\x9f', '\xa0', '\xad'],
  ...['\u2028', '\u2029', '\ufeff', '\ud800', '\udfff', '\ud83d\ude00', 'é', '中文', '\u0301'],
];
const fragment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
);
const text = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.array(fragment, { maxLength: 6 }).map((parts) => parts.join('')),
);

const { value: jsonValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 6, arbitrary: text },
    fc.integer(),
    fc.double(),
    fc.bigInt(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.oneof(tie('value'), fc.constant(undefined)), { maxLength: 4 }),
    fc.dictionary(text, fc.oneof({ weight: 5, arbitrary: tie('value') }, fc.constant(undefined)), { maxKeys: 5 }),
  ),
}));

describe('emitYaml', () => {
  it("quotes the plain scalars yaml's schema would read as another type: its tags' tests, written out", () => {
    const tests = new Document(null, YAML_OPTIONS).schema.tags.flatMap((tag) =>
      tag.default && tag.tag !== 'tag:yaml.org,2002:str' && 'test' in tag && tag.test ? [tag.test] : [],
    );
    expect(TYPED_LOOKALIKES.map(String)).toEqual(tests.map(String));
  });

  it('writes what yaml stringify writes for arbitrary data', () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        expect(emitYaml(value)).toBe(reference(value));
      }),
      { numRuns: 3000 },
    );
  });

  it('writes what yaml stringify writes for tricky strings as documents, keys, values and items', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        for (const value of [a, { [a]: b }, { k: { [a]: [b] } }, [a, [b]], [{ [a]: b, [b]: a }]]) {
          expect(emitYaml(value)).toBe(reference(value));
        }
      }),
      { numRuns: 3000 },
    );
  });

  const examples: Record<string, unknown[]> = {
    'YAML 1.1 booleans, nulls and numbers': [
      'on',
      'Off',
      'y',
      'NO',
      'null',
      '~',
      '',
      '0755',
      '0x1f',
      '0b1',
      '1_000',
      '1e3',
      '.inf',
      '.NaN',
    ],
    'timestamps and sexagesimals': ['2024-01-01', '2001-12-14 21:59:43.10 -5', '12:30', '-1:20:30', '190:20:30.15'],
    'indicators and separators': [
      '-',
      '- a',
      '-a',
      '?',
      '? a',
      ':a',
      'a:',
      'a: b',
      'a #b',
      'a#b',
      '#a',
      '&a',
      '*a',
      '!a',
      '|',
      '>',
      '%a',
      '@a',
      '`a',
      ',a',
      '[a]',
      '{a}',
      'a,b',
    ],
    quotes: ["it's", 'say "hi"', `both ' and "`, "'", '"'],
    'edge whitespace': [' a', 'a ', '\ta', 'a\t', ' ', '\t'],
    'block literals and indentation indicators': [
      'a\nb',
      'a\nb\n',
      'a\nb\n\n',
      '\na',
      ' a\nb',
      '  a\n b\n',
      '\n\n a\n\n',
      'a\n\nb',
      '\n',
      '\n\n',
    ],
    'line breaks yaml double-quotes': ['a\n ', 'a\n\t', `${'x '.repeat(30)}\n y`, 'a \nb', 'a\n b', 'a\r\nb'],
    'document markers': ['---', '--- a', '...', '%YAML', 'a\n---\nb', '---\n', 'a\n%b'],
    'control characters and unicode': [
      '\x00',
      'a\x07b',
      '\x1b[0m',
      '\x7f',
      '\x85',
      '\xa0',
      '\u2028',
      '\ud800',
      '\udc00a',
      'é',
      '😀',
      '\ufeff',
    ],
    numbers: [0, -0, 1.5, -2, 1e21, 5e-7, NaN, Infinity, -Infinity, 12n],
    collections: [{}, [], [[]], [{}], { a: {}, b: [] }, [[1, [2, []]], { a: [{ b: {} }] }], [undefined, null], { a: undefined }],
    'the merge key': ['<<', { '<<': '<<' }, ['<<']],
  };
  for (const [category, values] of Object.entries(examples)) {
    it(`matches yaml for ${category}`, () => {
      for (const value of values) {
        for (const doc of [value, { key: value }, [value], { [String(value)]: 1 }]) {
          expect(emitYaml(doc)).toBe(reference(doc));
        }
      }
    });
  }

  it('sorts keys as yaml does, by UTF-16 code units', () => {
    const doc = { b: 1, a: 2, B: 3, '10': 4, '9': 5, é: 6, '😀': 7, '\uffff': 8, _: 9 };
    expect(emitYaml(doc)).toBe(reference(doc));
    const keyLines = emitYaml(doc)!
      .split('\n')
      .slice(0, -1)
      .map((line) => line.replace(/: \d+$/, ''));
    expect(keyLines).toEqual(['"10"', '"9"', 'B', '_', 'a', 'b', 'é', '😀', '\uffff']);
  });

  it('leaves to yaml what it does not follow: non-plain objects, long keys, a missing document', () => {
    const date = new Date(0);
    const long = { ['k'.repeat(1100)]: 1 };
    for (const value of [date, new Map([['a', 1]]), new Set([1]), new Uint8Array([1]), new String('x'), long, { toJSON: () => 1 }]) {
      expect(emitYaml(value)).toBeUndefined();
      expect(emitYaml({ nested: [value] })).toBeUndefined();
      expect(toYaml({ nested: [value] })).toBe(reference({ nested: [value] }));
    }
    expect(emitYaml(undefined)).toBeUndefined();
    expect(() => toYaml({ f: () => 1 })).toThrow(/Tag not resolved/);
  });

  it('keeps shared objects written out in full, never as anchors', () => {
    const shared = { a: [1] };
    expect(emitYaml({ x: shared, z: shared })).toBe('x:\n  a:\n    - 1\nz:\n  a:\n    - 1\n');
  });
});
