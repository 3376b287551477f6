// The k8s target: manifests for the Node gateway (and Envoy, when the envoy target is built too) plus a
// kustomization, so that `kubectl apply --server-side -k <out>/k8s` deploys them (client-side apply copies each
// object into an annotation capped at 256 KiB, which the gateway's bundle alone exceeds). The gateway's bundle and
// config come from the node target (the same build when the run has both), so that the ConfigMaps always match what
// `--target node` writes.
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { IR } from '../../compiler/ir/types.ts';
import { toYaml } from '../emit.ts';
import { envoyCredentials, envoyTarget } from '../envoy/index.ts';
import { outputKey, shared, type BuildContext, type Target, type TargetFinding, type TargetOutput } from '../target.ts';
import { prometheusRule } from './alerts.ts';
import { dashboardConfigMap } from './dashboard.ts';
import { ENVOY_CONFIG_PARTS_KEY, envoyConfigParts, envoyManifests } from './envoy.ts';
import { gatewayManifests } from './gateway.ts';
import { writeManifest, type WrittenManifest } from './manifest.ts';
import type { SplitFile } from './parts.ts';

/** Kubernetes refuses objects over 1 MiB. Large files are split well below it (parts.ts); this is the safety net. */
const OBJECT_LIMIT_BYTES = 1_048_576;

type Manifest = [file: string, doc: { kind?: string; metadata?: { name?: string } }];
const numbered = (prefix: string, parts: SplitFile['parts']): WrittenManifest[] =>
  parts.map((p) => writeManifest(`${prefix}-${p.number}.yaml`, p.configMap));
const written = (manifests: Manifest[]): WrittenManifest[] => manifests.map(([file, doc]) => writeManifest(file, doc));

/** The alert rules and the dashboard, over the gateway's metrics: nothing when it serves none. */
function monitoring(ir: IR, findings: TargetFinding[]): Manifest[] {
  const { alerts, metrics } = ir.gateway;
  if (!alerts.enabled && !alerts.dashboard) return [];
  if (!metrics.enabled) {
    findings.push({
      ruleId: 'target-invalid',
      severity: 'warning',
      resource: `Gateway/${ir.gateway.name}`,
      path: ['spec', 'alerts'],
      message: "alerts and the dashboard read the gateway's metrics, which spec.metrics.enabled turns off: neither is written",
    });
    return [];
  }
  const rule = prometheusRule(ir);
  const dashboard = dashboardConfigMap(ir);
  return [...(rule ? [['prometheusrule.yaml', rule] as Manifest] : []), ...(dashboard ? [['dashboard.yaml', dashboard] as Manifest] : [])];
}

/** `node` and `envoy` are the targets whose files the manifests mount. */
export function createK8sTarget(node: Target, envoy: Target = envoyTarget) {
  return {
    name: 'k8s',
    description: 'Kubernetes manifests for the Node gateway (and Envoy with --target envoy) with a kustomization.yaml',
    async build(ir: IR, context: BuildContext = {}): Promise<TargetOutput> {
      const built = (target: Target) => shared(context, outputKey(target.name), () => target.build(ir, context));
      const gateway = gatewayManifests(ir, (await built(node)).files, context.pieces);
      const findings: TargetFinding[] = [...gateway.findings];
      const namespace: INamespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ir.gateway.kubernetes.namespace } };
      const manifests: WrittenManifest[] = [
        ...written([
          ...(ir.gateway.kubernetes.namespace === 'default' ? [] : [['namespace.yaml', namespace] as Manifest]),
          ['serviceaccount.yaml', gateway.serviceAccount],
          ['configmap.yaml', gateway.bundle],
          ['configmap-config.yaml', gateway.configIndex],
        ]),
        ...numbered('configmap-config', gateway.configParts),
        ...written([
          ['deployment.yaml', gateway.deployment],
          ['service.yaml', gateway.service],
          ...(gateway.hpa ? [['hpa.yaml', gateway.hpa] as Manifest] : []),
          ['pdb.yaml', gateway.pdb],
          ['networkpolicy.yaml', gateway.networkPolicy],
          ...monitoring(ir, findings),
        ]),
      ];
      if (context.targets?.includes(envoy.name)) {
        const { files } = await built(envoy);
        const parts = await shared(context, ENVOY_CONFIG_PARTS_KEY, () => envoyConfigParts(ir, files));
        const proxy = envoyManifests(ir, files, parts, envoyCredentials(ir));
        manifests.push(
          writeManifest('envoy-configmap.yaml', proxy.configMap),
          ...proxy.configParts,
          ...written([
            ['envoy-deployment.yaml', proxy.deployment],
            ['envoy-service.yaml', proxy.service],
            ['envoy-pdb.yaml', proxy.pdb],
            ['envoy-networkpolicy.yaml', proxy.networkPolicy],
          ]),
        );
      }
      const files: Record<string, string> = Object.fromEntries(manifests.map((m) => [m.file, m.yaml]));
      for (const { file, jsonBytes, object } of manifests) {
        if (jsonBytes <= OBJECT_LIMIT_BYTES) continue;
        findings.push({
          ruleId: 'target-invalid',
          severity: 'error',
          resource: `Gateway/${ir.gateway.name}`,
          path: ['spec', 'kubernetes'],
          message: `${object} (${file}) would be ${jsonBytes} bytes as JSON, over Kubernetes' 1 MiB object limit`,
        });
      }
      files['kustomization.yaml'] = toYaml({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: manifests.map((m) => m.file),
      });
      return { files, findings };
    },
  } satisfies Target;
}
