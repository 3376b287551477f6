// The k8s target: manifests for the Node gateway (and Envoy, when the envoy target is built too) plus a
// kustomization, so that `kubectl apply -k <out>/k8s` deploys them. The gateway's bundle and config come from the
// node target, built here, so that the ConfigMap always matches what `--target node` would write.
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { IR } from '../../compiler/ir/types.ts';
import { toYaml } from '../emit.ts';
import { envoyConfig, envoyFiles } from '../envoy/index.ts';
import type { BuildContext, Target, TargetFinding, TargetOutput } from '../target.ts';
import { envoyManifests } from './envoy.ts';
import { gatewayManifests } from './gateway.ts';

/** Kubernetes refuses objects over 1 MiB; a ConfigMap's data is most of it. */
const CONFIGMAP_LIMIT_BYTES = 1_048_576;

export function createK8sTarget(node: Target) {
  return {
    name: 'k8s',
    description: 'Kubernetes manifests for the Node gateway (and Envoy with --target envoy) with a kustomization.yaml',
    async build(ir: IR, context: BuildContext = {}): Promise<TargetOutput> {
      const gateway = gatewayManifests(ir, (await node.build(ir)).files);
      const findings: TargetFinding[] = [...gateway.findings];
      const size = Object.values(gateway.configMap.data ?? {}).reduce((n, text) => n + Buffer.byteLength(text), 0);
      if (size > CONFIGMAP_LIMIT_BYTES) {
        findings.push({
          ruleId: 'target-invalid',
          severity: 'error',
          resource: `Gateway/${ir.gateway.name}`,
          path: ['spec', 'kubernetes'],
          message: `the gateway's ConfigMap would hold ${size} bytes, over Kubernetes' 1 MiB object limit`,
        });
      }
      const namespace: INamespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ir.gateway.kubernetes.namespace } };
      const manifests: [string, unknown][] = [
        ...(ir.gateway.kubernetes.namespace === 'default' ? [] : [['namespace.yaml', namespace] as [string, unknown]]),
        ['serviceaccount.yaml', gateway.serviceAccount],
        ['configmap.yaml', gateway.configMap],
        ['deployment.yaml', gateway.deployment],
        ['service.yaml', gateway.service],
        ...(gateway.hpa ? [['hpa.yaml', gateway.hpa] as [string, unknown]] : []),
        ['pdb.yaml', gateway.pdb],
        ['networkpolicy.yaml', gateway.networkPolicy],
      ];
      if (context.targets?.includes('envoy')) {
        const config = envoyConfig(ir);
        const envoy = envoyManifests(ir, envoyFiles(ir, config), config);
        manifests.push(
          ['envoy-configmap.yaml', envoy.configMap],
          ['envoy-deployment.yaml', envoy.deployment],
          ['envoy-service.yaml', envoy.service],
          ['envoy-pdb.yaml', envoy.pdb],
          ['envoy-networkpolicy.yaml', envoy.networkPolicy],
        );
      }
      const files: Record<string, string> = Object.fromEntries(manifests.map(([file, doc]) => [file, toYaml(doc)]));
      files['kustomization.yaml'] = toYaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: manifests.map(([file]) => file) });
      return { files, findings };
    },
  } satisfies Target;
}
