// Pieces shared by the gateway's and Envoy's manifests. Typed with Kubernetes' own (OpenAPI-generated) models so
// that a misspelt field fails the type check; tests validate the results against the same schemas.
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { IPodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext';
import type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IR } from '../../compiler/ir/types.ts';

export type Component = 'gateway' | 'envoy';
export type ObjectMeta = NonNullable<IDeployment['metadata']>;

export function selectorLabels(ir: IR, component: Component): Record<string, string> {
  return { 'app.kubernetes.io/name': 'modelgate', 'app.kubernetes.io/instance': ir.gateway.name, 'app.kubernetes.io/component': component };
}

export function metadata(ir: IR, component: Component, name: string): ObjectMeta {
  return {
    name,
    namespace: ir.gateway.kubernetes.namespace,
    labels: {
      ...selectorLabels(ir, component),
      'app.kubernetes.io/managed-by': 'modelgate',
      'modelgate.dev/environment': ir.environment.name,
    },
  };
}

/** Non-root with a fixed uid (the image's own user may be root, which `runAsNonRoot` alone would refuse to start). */
export function podSecurity(uid: number): IPodSecurityContext {
  return { runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, fsGroup: uid, seccompProfile: { type: 'RuntimeDefault' } };
}

export const CONTAINER_SECURITY: ISecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
};

export function service(ir: IR, component: Component, name: string, port: number): IService {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(ir, component, name),
    spec: {
      type: 'ClusterIP',
      selector: selectorLabels(ir, component),
      ports: [{ name: 'http', port, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}

/** One pod at a time may be evicted: drains proceed, and a rollout never takes every replica down. */
export function disruptionBudget(ir: IR, component: Component, name: string): IPodDisruptionBudget {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: metadata(ir, component, name),
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(ir, component) } },
  };
}

export interface Traffic {
  /** Port the pods accept traffic on. */
  ingressPort: number;
  /** TCP ports the pods may connect to (DNS is always allowed). */
  egressPorts: number[];
  /** Pods the component may reach, with their port (Envoy to the gateways). */
  egressPeers?: { peer: INetworkPolicyPeer; port: number }[];
}

/**
 * Ingress on the serving port only; egress to DNS and the given ports only. NetworkPolicy cannot name DNS hosts,
 * so provider traffic is limited by port, not by address.
 */
export function networkPolicy(ir: IR, component: Component, name: string, traffic: Traffic): INetworkPolicy {
  const tcp = (port: number) => ({ port, protocol: 'TCP' as const });
  const egressPorts = [...new Set(traffic.egressPorts)].sort((a, b) => a - b);
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: metadata(ir, component, name),
    spec: {
      podSelector: { matchLabels: selectorLabels(ir, component) },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ ports: [tcp(traffic.ingressPort)] }],
      egress: [
        { ports: [{ port: 53, protocol: 'UDP' as const }, tcp(53)] },
        ...(egressPorts.length ? [{ ports: egressPorts.map(tcp) }] : []),
        ...(traffic.egressPeers ?? []).map(({ peer, port }) => ({ to: [peer], ports: [tcp(port)] })),
      ],
    },
  };
}
