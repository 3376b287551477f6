import { durationMs } from '../../kernel/duration.ts';
import type { Rule } from '../rule.ts';

/** The window of the other alerts' rates (targets/k8s/promql.ts `RATE_WINDOW`): four scrapes at the common 1m. */
const MIN_WINDOW = { ms: 5 * 60_000, text: '5m' };

export const alertBudgetWindowBounded: Rule = {
  id: 'alert-budget-window-bounded',
  description: "The `ModelgateBudgetBurn` alert's `spec.alerts.budgetWindow` is at least 5m.",
  rationale:
    'The alert projects the spend rate over the window (`rate(...[budgetWindow])`). Prometheus refuses a range of 0, ' +
    'and with it every alert of the PrometheusRule; a range of a few scrapes has one sample or none, so the alert ' +
    'never fires or fires on one request.',
  defaultSeverity: 'error',
  reads: { kinds: [], on: ['Gateway'] },
  *check(ctx) {
    for (const gateway of ctx.byKind('Gateway')) {
      const alerts = gateway.value.spec?.alerts;
      const ms = durationMs(alerts?.budgetWindow);
      const written = alerts?.enabled !== false && !alerts?.disable?.includes('ModelgateBudgetBurn');
      if (!written || ms === undefined || ms >= MIN_WINDOW.ms) continue;
      yield {
        resource: gateway,
        path: ['spec', 'alerts', 'budgetWindow'],
        message: `Gateway ${gateway.name} projects spend over a budgetWindow of ${alerts?.budgetWindow}: ${
          ms === 0
            ? 'Prometheus refuses the whole rule group (a range must be longer than 0).'
            : `a rate over less than ${MIN_WINDOW.text} holds too few scrapes to project from.`
        }`,
        hint: 'Set `budgetWindow` to hours (the default is 6h), or leave the alert out with `disable: [ModelgateBudgetBurn]`.',
      };
    }
  },
};
