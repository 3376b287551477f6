import { describe, expect, it } from 'vitest';
import { doc } from '../../test/support/policy-resources.ts';
import { ruleTester } from '../../test/support/rule-tester.ts';
import { prodOtlpHttps } from './prod-otlp-https.ts';

const gateway = (endpoint: string) => doc('Gateway', 'gw', `telemetry:\n  otlp:\n    endpoint: ${endpoint}`);

ruleTester.run(prodOtlpHttps, {
  valid: [
    { name: 'no export', yaml: doc('Gateway', 'gw', 'listen: {port: 8080}') },
    { name: 'HTTPS', yaml: gateway('https://otlp.example.com/v1/traces') },
    { name: 'a collector agent on localhost', yaml: gateway('http://localhost:4318/v1/traces') },
  ],
  invalid: [
    {
      name: 'plain HTTP off the host',
      yaml: gateway('http://otel-collector.observability:4318/v1/traces'),
      errors: [
        {
          message: 'Gateway gw exports its traces over plain HTTP in production.',
          line: 10,
          column: 17,
          path: 'spec.telemetry.otlp.endpoint',
        },
      ],
    },
  ],
});

describe('prod-otlp-https', () => {
  it('runs in production only', () => {
    expect(prodOtlpHttps.tiers).toEqual(['production']);
  });
});
