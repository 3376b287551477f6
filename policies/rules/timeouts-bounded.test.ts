import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { timeoutsBounded } from './timeouts-bounded.ts';

const provider = (timeout?: string) =>
  doc('Provider', 'openai', `type: openai\nbaseUrl: https://x\nmodels: [{name: m}]${timeout ? `\ntimeout: ${timeout}` : ''}`);
const route = (timeout?: string) =>
  doc('Route', 'chat', `targets: [{provider: openai, model: m}]${timeout ? `\ntimeout: ${timeout}` : ''}`);
const gateway = (timeout: string) => doc('Gateway', 'gw', `limits: {requestTimeout: ${timeout}}`);
const webhook = (timeout: string) =>
  doc('Guardrail', 'hook', `timeout: ${timeout}\ncheck: {webhook: {url: "https://guard.internal/check"}}`);

ruleTester.run(timeoutsBounded, {
  valid: [
    { name: 'bounded, consistent timeouts', yaml: provider('30s') + route('90s') + gateway('120s') },
    { name: 'a remote guardrail within 100ms to 10s', yaml: webhook('250ms') + webhook('10s').replace('name: hook', 'name: hook2') },
    { name: 'a local guardrail, which waits on nothing', yaml: doc('Guardrail', 'pii', 'timeout: 0s\ncheck: {pii: {detectors: [email]}}') },
  ],
  invalid: [
    {
      name: 'missing and out-of-range timeouts',
      yaml: provider('500ms') + route(),
      errors: [
        { message: 'Provider openai has a timeout of 500ms, outside 1s to 10m.', line: 11, column: 12, resource: 'Provider/openai' },
        { message: 'Route chat sets no timeout.', line: 19, column: 3, resource: 'Route/chat' },
      ],
    },
    {
      name: 'a route longer than the gateway request',
      yaml: provider('60s') + route('200s') + gateway('120s'),
      errors: [
        {
          message: "Route chat allows 200s, more than the gateway's requestTimeout (120s), which ends the request first.",
          line: 20,
          column: 12,
        },
      ],
    },
    {
      name: 'a route shorter than its provider attempt',
      yaml: provider('60s') + route('30s'),
      errors: [
        {
          message: 'Route chat times out after 30s, before one attempt on provider openai (60s) can time out.',
          line: 20,
          column: 12,
          path: 'spec.timeout',
        },
      ],
    },
    {
      name: 'a remote guardrail waiting too long, and one that cannot be answered in time',
      yaml: webhook('30s') + webhook('0s').replace('name: hook', 'name: hook2'),
      errors: [
        {
          message: 'Guardrail hook waits up to 30s for its checker, more than 10s added to each request it checks.',
          line: 8,
          column: 12,
          path: 'spec.timeout',
        },
        {
          message:
            'Guardrail hook2 gives its checker 0s, less than a remote call takes (100ms): every check fails, and with `onError: deny` every request is refused.',
          line: 17,
          column: 12,
          path: 'spec.timeout',
        },
      ],
    },
  ],
});
