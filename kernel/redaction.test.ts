import { describe, expect, it } from 'vitest';
import type * as T from '../schema/types.ts';
import { createRedactor } from './redaction.ts';

type Redaction = Required<T.Redaction>;
const redactor = (pii: Redaction['pii'], patterns: Redaction['patterns'] = []) => createRedactor({ pii, patterns })!;

describe('createRedactor', () => {
  it('returns null when the policy asks for nothing', () => {
    expect(createRedactor({ pii: [], patterns: [] })).toBeNull();
  });

  it('redacts email addresses', () => {
    const redact = redactor(['email']);
    expect(redact('mail jane.doe+llm@mail.example.co.uk, or j_d@example.com.')).toBe('mail [REDACTED:email], or [REDACTED:email].');
    expect(redact('@handle, a@b, user@localhost, x@y.c')).toBe('@handle, a@b, user@localhost, x@y.c');
  });

  it.each([
    '+44 20 7946 0958',
    '+1-202-555-0143',
    '+4915112345678',
    '+44 (0)20 7946 0958',
    '+33 1 23 45 67 89',
    '(202) 555-0143',
    '202-555-0143',
    '202.555.0143',
    '1 202 555 0143',
    '020 7946 0958',
    '07700 900123',
    '030 12345678',
    '01 23 45 67 89',
    '0171/1234567',
  ])('redacts the phone number %s', (phone) => {
    expect(redactor(['phone'])(`call ${phone} today`)).toBe('call [REDACTED:phone] today');
  });

  it.each([
    'order 12345678 shipped',
    'on 2024-01-15 at 10:30',
    'on 01.02.2024 10:30',
    'version 1.2.3.4 and 10.0.0.1',
    'pi is 3.14159265',
    'total $1,234,567.89',
    'port 8080, pid 123456',
    'ISBN 978-3-16-148410-0',
    '+1 5 now',
  ])('leaves %s alone', (text) => {
    expect(redactor(['phone'])(text)).toBe(text);
  });

  it('redacts card numbers only when the Luhn check passes', () => {
    const redact = redactor(['card']);
    expect(redact('card 4111 1111 1111 1111 exp 12/29')).toBe('card [REDACTED:card] exp 12/29');
    expect(redact('4111-1111-1111-1111 and 378282246310005')).toBe('[REDACTED:card] and [REDACTED:card]');
    expect(redact('4111 1111 1111 1111 2024')).toBe('[REDACTED:card] 2024');
    expect(redact('ref 12 4111 1111 1111 1111')).toBe('ref 12 [REDACTED:card]');
    expect(redact('order 1234 5678 9012 3456')).toBe('order 1234 5678 9012 3456');
    expect(redact('id 4111111111111112')).toBe('id 4111111111111112');
  });

  it('redacts IBANs only when the mod-97 check passes', () => {
    const redact = redactor(['iban']);
    expect(redact('IBAN DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX')).toBe('IBAN [REDACTED:iban] BIC COBADEFFXXX');
    expect(redact('GB82WEST12345698765432.')).toBe('[REDACTED:iban].');
    expect(redact('DE00 3704 0044 0532 0130 00')).toBe('DE00 3704 0044 0532 0130 00');
  });

  it('redacts IPv4 addresses but not version strings or out-of-range octets', () => {
    const redact = redactor(['ipv4']);
    expect(redact('from 192.168.1.10, via 10.0.0.1.')).toBe('from [REDACTED:ipv4], via [REDACTED:ipv4].');
    expect(redact('v1.2.3.4.5 and 999.1.1.1 and 1.2.3')).toBe('v1.2.3.4.5 and 999.1.1.1 and 1.2.3');
  });

  it('runs custom patterns after the built-in ones', () => {
    const redact = redactor(['email'], [{ name: 'employee-id', regex: 'EMP-\\d{6}' }]);
    expect(redact('EMP-004211 wrote from ann@example.com')).toBe('[REDACTED:employee-id] wrote from [REDACTED:email]');
  });

  it('leaves zero-width custom matches alone', () => {
    expect(redactor([], [{ name: 'edge', regex: '\\b' }])('two words')).toBe('two words');
  });

  it('refuses a custom pattern that could backtrack catastrophically', () => {
    expect(() => createRedactor({ pii: [], patterns: [{ name: 'bad', regex: '(a+)+$' }] })).toThrow(
      /redaction pattern bad is refused: a repeated group contains a repetition/,
    );
  });

  it('is reusable across calls (no global-regex state leaks between texts)', () => {
    const redact = redactor(['email', 'card']);
    for (let i = 0; i < 3; i++) expect(redact('a@example.com 4111111111111111')).toBe('[REDACTED:email] [REDACTED:card]');
  });

  it('stays linear on hostile input', () => {
    const redact = redactor(['email', 'phone', 'card', 'iban', 'ipv4'], [{ name: 'word-at', regex: '[a-z]+@x\\.com' }]);
    const hostile = [
      'a'.repeat(200_000),
      '1'.repeat(200_000),
      'a@'.repeat(100_000),
      'a.'.repeat(100_000),
      '1 '.repeat(100_000),
      '1.'.repeat(100_000),
      '+1 '.repeat(60_000),
      '0 12 '.repeat(40_000),
      'DE89 '.repeat(40_000),
      `a@${'b.'.repeat(100_000)}`,
      '4111 '.repeat(40_000),
    ];
    for (const text of hostile) {
      const started = performance.now();
      redact(text);
      expect(performance.now() - started, text.slice(0, 10)).toBeLessThan(500);
    }
  });
});
