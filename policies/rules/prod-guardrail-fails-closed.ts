import type { Rule } from '../rule.ts';

export const prodGuardrailFailsClosed: Rule = {
  id: 'prod-guardrail-fails-closed',
  description: 'In production, guardrails with a remote checker keep `onError: deny`.',
  rationale:
    'With `onError: allow`, a checker that is down or slow lets every request through unchecked: the guardrail is off exactly ' +
    'when nobody looks. Choose it knowingly (a waiver with a reason), not by accident.',
  defaultSeverity: 'warning',
  reads: { kinds: [], on: ['Guardrail'] },
  tiers: ['production'],
  *check(ctx) {
    for (const guardrail of ctx.byKind('Guardrail')) {
      const { onError, check } = guardrail.value.spec;
      if (onError !== 'allow' || !(check.moderation || check.presidio || check.webhook)) continue;
      yield {
        resource: guardrail,
        path: ['spec', 'onError'],
        message: `Guardrail ${guardrail.name} lets requests through unchecked when its checker fails (onError: allow).`,
        hint: 'Use `onError: deny`, or waive this rule for the guardrail with a PolicyException saying why.',
      };
    }
  },
};
