import type { Rule } from '../rule.ts';

export const prodNoPromptLogging: Rule = {
  id: 'prod-no-prompt-logging',
  description: 'In production, usage logs do not include request messages (`logging.usage.includePrompts`).',
  rationale:
    'Prompts carry personal and confidential data; logging them copies it to every log store, outside redaction and retention rules.',
  defaultSeverity: 'error',
  reads: { kinds: [], on: ['Gateway'] },
  tiers: ['production'],
  *check(ctx) {
    for (const gateway of ctx.byKind('Gateway')) {
      if (gateway.value.spec?.logging?.usage?.includePrompts !== true) continue;
      yield {
        resource: gateway,
        path: ['spec', 'logging', 'usage', 'includePrompts'],
        message: `Gateway ${gateway.name} logs request messages in production.`,
        hint: 'Set `includePrompts: false` (or remove it) in the production environment.',
      };
    }
  },
};
