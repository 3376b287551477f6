// Findings used by the report tests: every severity, a waived one, markup in a message, and two findings
// that differ only in position (their fingerprints must still differ). The named rules stand for Policies.
import type { Diagnostic } from '../../kernel/diagnostics.ts';
import { namedRuleId } from '../../kernel/rule-registry.ts';

const at = (file: string, line: number, column: number) => ({ file, line, column, endLine: line, endColumn: column + 5 });

export const SAMPLE_FILES = [
  'access/payments.yaml',
  'gateway.yaml',
  'prompts/support-reply.yaml',
  'providers/openai.yaml',
  'routes/chat.yaml',
];

export const SAMPLE: Diagnostic[] = [
  {
    ruleId: 'schema',
    severity: 'error',
    message: '`spec.fallback` is not a known property. Did you mean "fallbacks"?',
    hint: 'Known properties of `spec`: targets, fallbacks.',
    resource: 'Route/chat',
    ...at('routes/chat.yaml', 10, 3),
  },
  {
    ruleId: namedRuleId('route-fallbacks'),
    severity: 'warning',
    message: 'Route chat has no fallbacks.',
    resource: 'Route/chat',
    ...at('routes/chat.yaml', 6, 1),
  },
  {
    ruleId: namedRuleId('model-deprecated'),
    severity: 'info',
    message: 'gpt-4 is deprecated.',
    environment: 'prod',
    ...at('providers/openai.yaml', 12, 9),
  },
  {
    ruleId: namedRuleId('prompt-owner'),
    severity: 'error',
    message: 'Prompt support-reply has no owner label.',
    resource: 'Prompt/support-reply',
    suppressed: { exception: 'PolicyException/support-owner', owner: 'li.wei', reason: 'Owner is being hired, until March.' },
    ...at('prompts/support-reply.yaml', 5, 3),
  },
  {
    ruleId: 'reference',
    severity: 'error',
    message: 'Consumer "<payments & co>" does not exist.',
    resource: 'AccessPolicy/payments',
    ...at('access/payments.yaml', 9, 9),
  },
  {
    ruleId: 'reference',
    severity: 'error',
    message: 'Consumer "<payments & co>" does not exist.',
    resource: 'AccessPolicy/payments',
    ...at('access/payments.yaml', 11, 9),
  },
];
