import type { Rule } from '../rule.ts';

export const guardrailActionSupported: Rule = {
  id: 'guardrail-action-supported',
  description:
    'A `mask` guardrail has a checker that can rewrite text (not `maxSize` or `moderation`; `presidio` with an `anonymizerUrl`).',
  rationale:
    'A checker that only says whether text matches cannot mask it: the gateway would block instead, which is not what the config says.',
  defaultSeverity: 'error',
  reads: { kinds: [], on: ['Guardrail'] },
  *check(ctx) {
    for (const guardrail of ctx.byKind('Guardrail')) {
      const { action, check } = guardrail.value.spec;
      if (action !== 'mask') continue;
      const cannot = check.maxSize
        ? 'maxSize'
        : check.moderation
          ? 'moderation'
          : check.presidio && !check.presidio.anonymizerUrl
            ? 'presidio without anonymizerUrl'
            : undefined;
      if (!cannot) continue;
      yield {
        resource: guardrail,
        path: ['spec', 'action'],
        message: `Guardrail ${guardrail.name} masks with a ${cannot} checker, which cannot rewrite text.`,
        hint: cannot.startsWith('presidio') ? 'Add `anonymizerUrl`, or use `block` or `flag`.' : 'Use `block` or `flag`.',
      };
    }
  },
};
