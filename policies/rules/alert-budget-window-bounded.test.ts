import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { alertBudgetWindowBounded } from './alert-budget-window-bounded.ts';

const gateway = (alerts: string) => doc('Gateway', 'gw', `alerts: ${alerts}`);

ruleTester.run(alertBudgetWindowBounded, {
  valid: [
    { name: 'the default window', yaml: gateway('{enabled: true}') },
    { name: 'a window as long as the rates of the other alerts', yaml: gateway('{budgetWindow: 5m}') },
    { name: 'a short window with alerts not written', yaml: gateway('{enabled: false, budgetWindow: 0s}') },
    { name: 'a short window with the budget alert left out', yaml: gateway('{budgetWindow: 0s, disable: [ModelgateBudgetBurn]}') },
  ],
  invalid: [
    {
      name: 'a zero window, which Prometheus refuses',
      yaml: gateway('{budgetWindow: 0s}'),
      errors: [
        {
          message:
            'Gateway gw projects spend over a budgetWindow of 0s: Prometheus refuses the whole rule group (a range must be longer than 0).',
          line: 8,
          column: 26,
          path: 'spec.alerts.budgetWindow',
        },
      ],
    },
    {
      name: 'a window of a few scrapes, whose rate is empty or noise',
      yaml: gateway('{budgetWindow: 1m}'),
      errors: [
        {
          message: 'Gateway gw projects spend over a budgetWindow of 1m: a rate over less than 5m holds too few scrapes to project from.',
          line: 8,
          column: 26,
          path: 'spec.alerts.budgetWindow',
        },
      ],
    },
  ],
});
