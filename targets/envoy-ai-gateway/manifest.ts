// API versions and metadata of the Envoy AI Gateway, Envoy Gateway and Gateway API resources this target emits.
import type { IR } from '../../compiler/ir/types.ts';

export const AIGW = 'aigateway.envoyproxy.io/v1beta1';
/** QuotaPolicy is still alpha in v1.1. */
export const AIGW_ALPHA = 'aigateway.envoyproxy.io/v1alpha1';
export const ENVOY_GATEWAY = 'gateway.envoyproxy.io/v1alpha1';
export const GATEWAY_API = 'gateway.networking.k8s.io/v1';

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels: Record<string, string> };
  spec: Record<string, unknown>;
}

/** Namespaced metadata; cluster-scoped resources (GatewayClass) drop the namespace. */
export function meta(ir: IR, name: string): Manifest['metadata'] {
  return {
    name,
    namespace: ir.gateway.kubernetes.namespace,
    labels: {
      'app.kubernetes.io/managed-by': 'modelgate',
      'app.kubernetes.io/instance': ir.gateway.name,
      'modelgate.dev/environment': ir.environment.name,
    },
  };
}
