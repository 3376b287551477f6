// The shape of a Prometheus Operator `PrometheusRule` (monitoring.coreos.com/v1), transcribed from the operator's
// CRD (v0.82): what the API server would check on apply. The rules' PromQL is promtool's business
// (targets/k8s/alerts.test.ts runs `promtool check rules` and `promtool test rules`).
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';

const require = createRequire(import.meta.url);
const { ObjectMeta } = require('@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta');

/** Prometheus' duration as the CRD's pattern allows it (`5m`, `1h30m`, `0`). */
const duration = { type: 'string', pattern: '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$' };
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };

const SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  additionalProperties: false,
  properties: {
    apiVersion: { const: 'monitoring.coreos.com/v1' },
    kind: { const: 'PrometheusRule' },
    metadata: { type: 'object' },
    spec: {
      type: 'object',
      additionalProperties: false,
      properties: {
        groups: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name'],
            additionalProperties: false,
            properties: {
              name: { type: 'string', minLength: 1 },
              interval: duration,
              limit: { type: 'integer' },
              rules: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['expr'],
                  additionalProperties: false,
                  // Exactly one of `alert` and `record`.
                  oneOf: [{ required: ['alert'] }, { required: ['record'] }],
                  properties: {
                    alert: { type: 'string' },
                    record: { type: 'string' },
                    expr: { anyOf: [{ type: 'integer' }, { type: 'string' }] },
                    for: duration,
                    keep_firing_for: { ...duration, minLength: 1 },
                    labels: stringMap,
                    annotations: stringMap,
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

const validate = new Ajv({ allErrors: true }).compile(SCHEMA);

/** Problems of a PrometheusRule as `PrometheusRule/name: message`; empty when valid. */
export function prometheusRuleProblems(doc: { metadata?: { name?: string }; spec?: { groups?: { name: string }[] } }): string[] {
  const where = `PrometheusRule/${doc.metadata?.name ?? '?'}`;
  const problems = validate(doc) ? [] : validate.errors!.map((e) => `${where}${e.instancePath}: ${e.message}`);
  try {
    new ObjectMeta(doc.metadata).validate();
  } catch (err) {
    problems.push(`${where}: metadata: ${(err as Error).message}`);
  }
  // The CRD lists groups as a map keyed by name.
  const names = (doc.spec?.groups ?? []).map((g) => g.name);
  if (new Set(names).size !== names.length) problems.push(`${where}: group names repeat: ${names.join(', ')}`);
  return problems;
}
