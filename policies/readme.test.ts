import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from './rules/index.ts';
import { withRuleReference } from './rule-reference.ts';

describe('policies/README.md', () => {
  it('carries the rule reference generated from the rule modules (run `npm run docs:rules` after changing a rule)', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    expect(readme).toBe(withRuleReference(readme, BUILTIN_RULES));
    for (const rule of BUILTIN_RULES) expect(readme).toContain(`### ${rule.id}\n`);
  });
});
