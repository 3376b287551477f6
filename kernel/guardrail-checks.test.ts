// A stream's window is checked with `from` (what the run before already checked): the checkers then skip matches
// lying wholly before it. What a stream reports must not change: at each run, every category the whole window
// first shows is found, and nothing the whole window does not show.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BuiltInCheck, builtInChecker } from './guardrail-checks.ts';

/** Pieces that make and break matches at a chunk's edge: numbers, groups, addresses, IBANs, words, separators. */
const PIECES = [
  '4111',
  '1111',
  ' ',
  '  ',
  '-',
  '.',
  '_',
  '@',
  'x',
  'X',
  'a@b.co',
  '%a@b.co',
  '+',
  'm',
  'DE89 3704 0044 0532 0130 00',
  'DE89370400440532013000',
  '+44 20 7946 0958',
  '10.0.0.',
  '1',
  '(202) 555-0143',
  'Project',
  'project',
  'phoenix',
  'phoeni',
  'merge',
  'r',
  'PHOE',
  'nix',
  'merger',
  's',
  '\n',
  '\u00a0',
];

/** Pieces of credentials: token prefixes and bodies, a private key's header, a JWT's parts. */
const SECRET_PIECES = [
  'sk-',
  'ant-',
  'abcdefghij',
  'ABCDEFGHIJ',
  '0123456789',
  'AKIA',
  'eyJ',
  '.',
  '-',
  '_',
  ' ',
  '-----BEGIN',
  ' RSA',
  ' PRIVATE KEY',
  '-----',
  'x',
];

const CHECKS: [string, BuiltInCheck, string[]][] = [
  ['pii', { type: 'pii', detectors: ['email', 'phone', 'card', 'iban', 'ipv4'], patterns: [] }, PIECES],
  [
    'pii with a pattern after the numbers',
    { type: 'pii', detectors: ['card', 'iban'], patterns: [{ name: 'four', regex: '\\d{4}' }] },
    PIECES,
  ],
  ['deniedTopics', { type: 'deniedTopics', words: ['project phoenix', 'merger', 'X'] }, PIECES],
  ['secrets', { type: 'secrets' }, SECRET_PIECES],
];

const chunks = (pieces: string[]) =>
  fc.array(
    fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 4 }).map((p) => p.join('')),
    { minLength: 1, maxLength: 12 },
  );

describe('built-in checkers on a window checked in parts', () => {
  for (const [name, check, pieces] of CHECKS) {
    it(`${name}: finds each run what the whole window first shows, and nothing it does not`, () => {
      const checker = builtInChecker(check);
      fc.assert(
        fc.property(chunks(pieces), (parts) => {
          let seen = '';
          const reported = new Set<string>();
          for (const part of parts) {
            const from = seen.length;
            seen += part;
            const whole = checker.find(seen);
            const fresh = checker.find(seen, from);
            for (const c of fresh) expect(whole).toContain(c);
            for (const c of whole) if (!reported.has(c)) expect(fresh).toContain(c);
            for (const c of whole) reported.add(c);
          }
        }),
        { numRuns: 5000 },
      );
    });
  }

  it('skips the numeric detectors on new text that cannot end or break a match', () => {
    const pii = builtInChecker(CHECKS[0]![1]);
    const card = 'card 4111 1111 1111 1111';
    expect(pii.find(`${card} and more`)).toEqual(['pii:card']);
    expect(pii.find(`${card} and more`, card.length)).toEqual([]);
    // A digit, a capital or a first character that continues the word brings them back.
    expect(pii.find(`${card} and 7`, card.length)).toEqual(['pii:card']);
    expect(pii.find(`${card} and More`, card.length)).toEqual(['pii:card']);
    expect(pii.find(`${card}x`, card.length)).toEqual(['pii:card']);
  });

  it('checks again the digits an address reaching back from the new text takes from an IBAN', () => {
    const pii = builtInChecker(CHECKS[0]![1]);
    const iban = 'DE89 3704 0044 0532 0130 00';
    expect(pii.find(iban)).toEqual(['pii:iban']);
    // The address takes the IBAN's last group, and what is left of it reads as a phone number.
    expect(pii.find(`${iban}%a@b.co`)).toEqual(['pii:phone', 'pii:email']);
    expect(pii.find(`${iban}%a@b.co`, iban.length)).toEqual(['pii:phone', 'pii:email']);
  });

  it('finds a denied phrase whose last part is the new text, across a run of white space', () => {
    const topics = builtInChecker(CHECKS[2]![1]);
    const text = 'we launch Project \n  Phoenix';
    expect(topics.find(text, text.length - 1)).toEqual(['topic:project phoenix']);
    expect(topics.find(`${text} soon`, text.length)).toEqual([]);
  });
});
