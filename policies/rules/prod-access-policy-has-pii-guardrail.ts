import type { Rule } from '../rule.ts';

export const prodAccessPolicyHasPiiGuardrail: Rule = {
  id: 'prod-access-policy-has-pii-guardrail',
  description:
    'In production, every access policy granting routes checks personal data: a `pii` or `presidio` guardrail (its own or on each route it grants), or `redaction.pii`.',
  rationale:
    "Prompts carry customers' names, addresses and card numbers; without a guard they reach every provider and its logs. " +
    'The plan shows the MR that removes one.',
  defaultSeverity: 'warning',
  reads: { on: ['AccessPolicy'], kinds: ['Guardrail'], parts: { Route: (route) => [route.name, route.value.spec.guardrails] } },
  tiers: ['production'],
  docs: 'Turn it into an error, or off, per environment with `spec.rules` of the Environment.',
  *check(ctx) {
    const piiGuard = (name: string) => {
      const check = ctx.byId('Guardrail', name)?.value.spec.check;
      return !!(check?.pii || check?.presidio);
    };
    const guarded = (names: readonly string[] | undefined) => (names ?? []).some(piiGuard);
    for (const policy of ctx.byKind('AccessPolicy')) {
      const spec = policy.value.spec;
      const routes = spec.routes ?? [];
      if (routes.length === 0 || spec.redaction?.pii?.length || guarded(spec.guardrails)) continue;
      const granted = routes.includes('*') ? ctx.byKind('Route') : routes.map((r) => ctx.byId('Route', r)).filter((r) => r !== undefined);
      if (granted.length > 0 && granted.every((r) => guarded(r.value.spec.guardrails))) continue;
      yield {
        resource: policy,
        path: ['spec', 'guardrails'],
        message: `Access policy ${policy.name} sends prompts to providers in production without a personal-data guardrail.`,
        hint: 'Attach a Guardrail with a `pii` or `presidio` check in `spec.guardrails` (or on its routes).',
      };
    }
  },
};
