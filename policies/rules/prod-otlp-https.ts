import { plainHttpOffLoopback } from '../plain-http.ts';
import type { Rule } from '../rule.ts';

export const prodOtlpHttps: Rule = {
  id: 'prod-otlp-https',
  description: 'In production, traces are exported over HTTPS (plain HTTP only to a collector on the loopback interface).',
  rationale:
    'Spans name consumers, routes and models, and hold prompts when they are logged; the export headers carry the ' +
    "backend's credential. Over plain HTTP anyone on the path reads them.",
  defaultSeverity: 'warning',
  reads: { kinds: [], on: ['Gateway'] },
  tiers: ['production'],
  *check(ctx) {
    for (const gateway of ctx.byKind('Gateway')) {
      if (!plainHttpOffLoopback(gateway.value.spec?.telemetry?.otlp?.endpoint)) continue;
      yield {
        resource: gateway,
        path: ['spec', 'telemetry', 'otlp', 'endpoint'],
        message: `Gateway ${gateway.name} exports its traces over plain HTTP in production.`,
        hint: 'Use an `https://` endpoint, or a collector agent on localhost that forwards over TLS.',
      };
    }
  },
};
