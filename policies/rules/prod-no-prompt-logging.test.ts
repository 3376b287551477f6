import { describe, expect, it } from 'vitest';
import { doc, findings } from '../../test/support/policy-resources.ts';
import { prodNoPromptLogging } from './prod-no-prompt-logging.ts';

describe('prod-no-prompt-logging', () => {
  it('accepts usage logs without prompts', () => {
    expect(findings(prodNoPromptLogging, doc('Gateway', 'gw', 'logging: {usage: {enabled: true}}'), 'production')).toEqual([]);
  });

  it('flags includePrompts at its node', () => {
    const found = findings(prodNoPromptLogging, doc('Gateway', 'gw', 'logging:\n  usage:\n    includePrompts: true'), 'production');
    expect(found.map((f) => [f.at, f.line])).toEqual([['spec.logging.usage.includePrompts', 10]]);
  });
});
