import { describe, expect, it } from 'vitest';
import { doc, findings } from '../../test/support/policy-resources.ts';
import { redactionRegexSafe } from './redaction-regex-safe.ts';

const access = (regex: string) =>
  doc('AccessPolicy', 'apps', `subjects: {consumers: [app]}\nredaction:\n  patterns:\n    - name: ticket\n      regex: '${regex}'`);

describe('redaction-regex-safe', () => {
  it('accepts bounded, unambiguous patterns', () => {
    expect(findings(redactionRegexSafe, access('TICKET-\\d{4,8}'))).toEqual([]);
    expect(findings(redactionRegexSafe, access('[a-z0-9._%+-]+@([a-z0-9-]+\\.)+[a-z]{2,}'))).toEqual([]);
  });

  it('flags catastrophic and invalid patterns at the regex', () => {
    const [nested] = findings(redactionRegexSafe, access('(\\w+\\s?)+$'));
    expect(nested!.at).toBe('spec.redaction.patterns[0].regex');
    expect(nested!.message).toContain('repeated group contains a repetition');
    expect(findings(redactionRegexSafe, access('(unclosed'))[0]!.message).toContain('not a valid regular expression');
  });
});
