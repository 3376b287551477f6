import { describe, expect, it } from 'vitest';
import { checkSafeRegex, MAX_REGEX_LENGTH } from './safe-regex.ts';

describe('checkSafeRegex', () => {
  it.each([
    '\\b\\d{3}-\\d{2}-\\d{4}\\b',
    'TICKET-[0-9]{4,8}',
    '[a-z0-9._%+-]+@([a-z0-9-]+\\.)+[a-z]{2,}',
    '(\\d{1,3}\\.){3}\\d{1,3}',
    '(?:\\s*,\\s*\\w+)*',
    '(.|\\n)*?END',
    '(?<year>\\d{4})-(?<month>\\d{2})',
    '(?=.*[A-Z])\\w+',
    'sk-[A-Za-z0-9]{20,}',
    '[^\\]]+',
    '^http://(?![a-z0-9.-]+\\.svc(:\\d+)?/)',
  ])('accepts %s', (source) => {
    expect(checkSafeRegex(source)).toBeUndefined();
  });

  it.each([
    ['(a+)+$', 'repeated group contains a repetition'],
    ['(\\w+\\s?)+$', 'repeated group contains a repetition'],
    ['^(([a-z])+.)+[A-Z]([a-z])+$', 'repeated group contains a repetition'],
    ['((ab)*c?)*', 'repeated group contains a repetition'],
    ['(a|ab)*c', 'repeated alternation'],
    ['(\\w|\\d)+x', 'repeated alternation'],
    ['\\d+\\d*x', 'adjacent repetitions'],
    ['.*.*=', 'adjacent repetitions'],
    ['(a)\\1', 'backreference'],
    ['^(?=(a+)+$)b', 'repeated group contains a repetition'],
    ['(?<q>["\'])x\\k<q>', 'backreference'],
    ['(', 'not a valid regular expression'],
    ['a'.repeat(MAX_REGEX_LENGTH + 1), 'longer than'],
  ])('refuses %s', (source, reason) => {
    expect(checkSafeRegex(source)).toContain(reason);
  });
});
