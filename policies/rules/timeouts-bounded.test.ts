import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { timeoutsBounded } from './timeouts-bounded.ts';

const provider = (timeout?: string) =>
  doc('Provider', 'openai', `type: openai\nbaseUrl: https://x\nmodels: [{name: m}]${timeout ? `\ntimeout: ${timeout}` : ''}`);
const route = (timeout?: string) =>
  doc('Route', 'chat', `targets: [{provider: openai, model: m}]${timeout ? `\ntimeout: ${timeout}` : ''}`);
const gateway = (timeout: string) => doc('Gateway', 'gw', `limits: {requestTimeout: ${timeout}}`);

ruleTester.run(timeoutsBounded, {
  valid: [{ name: 'bounded, consistent timeouts', yaml: provider('30s') + route('90s') + gateway('120s') }],
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
  ],
});
