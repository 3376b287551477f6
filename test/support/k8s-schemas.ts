// Validates Kubernetes manifests with the `kubernetes-models` package: validators generated from the Kubernetes
// OpenAPI schemas (types, formats, enums, required fields); a PrometheusRule by the shape of its CRD. Unknown fields are caught at compile time instead,
// since the targets build their manifests from the same package's types.
import { createRequire } from 'node:module';
import { prometheusRuleProblems } from './prometheus-rule-schema.ts';

const require = createRequire(import.meta.url);

interface Model {
  validate(): void;
}

/** Problems of one manifest, as `Kind/name: message`; empty when valid. */
export function k8sSchemaProblems(doc: { apiVersion: string; kind: string; metadata?: { name?: string } }): string[] {
  const [group, version] = doc.apiVersion.includes('/') ? doc.apiVersion.split('/') : ['', doc.apiVersion];
  const where = `${doc.kind}/${doc.metadata?.name ?? '?'}`;
  // A custom resource of the Prometheus Operator, beside the gateway's manifests.
  if (doc.apiVersion === 'monitoring.coreos.com/v1' && doc.kind === 'PrometheusRule') return prometheusRuleProblems(doc);
  let ModelClass: new (data: unknown) => Model;
  try {
    ModelClass = require(`kubernetes-models/${group ? `${group}/` : ''}${version}/${doc.kind}`)[doc.kind];
  } catch {
    return [`${where}: no Kubernetes schema for ${doc.apiVersion} ${doc.kind}`];
  }
  try {
    new ModelClass(doc).validate();
    return [];
  } catch (err) {
    return [`${where}: ${(err as Error).message}`];
  }
}
