// `npm run docs:rules`: rewrites the rule reference in policies/README.md from the rule modules.
import { readFileSync, writeFileSync } from 'node:fs';
import { BUILTIN_RULES } from './rules/index.ts';
import { withRuleReference } from './rule-reference.ts';

const readme = new URL('./README.md', import.meta.url);
const before = readFileSync(readme, 'utf8');
const after = withRuleReference(before, BUILTIN_RULES);
if (after !== before) writeFileSync(readme, after);
process.stdout.write(
  after === before
    ? 'policies/README.md is up to date\n'
    : `policies/README.md: rule reference rewritten (${BUILTIN_RULES.length} rules)\n`,
);
