// The Node gateway's manifests: its bundle gzipped in a ConfigMap (bundle.ts), its config split over numbered
// ConfigMaps with an index (a large config is over Kubernetes' 1 MiB object limit), all projected into one directory
// the gateway reads and watches; a hardened Deployment that rolls when any of them changes, and the Service,
// autoscaler, disruption budget and network policy around it.
import path from 'node:path';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import { guardrailUrls } from '../../compiler/ir/guardrails.ts';
import type { IR, IRProvider } from '../../compiler/ir/types.ts';
import { GATEWAY_SERVICE, parseUpstreamUrl, sha256Hex, stableJson } from '../emit.ts';
import { GATEWAY_NODE_FLAGS } from '../node/node-flags.ts';
import type { PieceCache, TargetFinding } from '../target.ts';
import { BUNDLE_KEY, gzipBundle, startCommand } from './bundle.ts';
import { credentialWiring, misplacedSecretFiles } from './credentials.ts';
import { splitIntoConfigMaps, type SplitFile } from './parts.ts';
import { CONTAINER_SECURITY, disruptionBudget, metadata, networkPolicy, podSecurity, selectorLabels, service } from './objects.ts';

const NAME = GATEWAY_SERVICE;
const CONFIG_DIR = '/etc/modelgate';
/** The `node` user of the official Node images. */
const NODE_UID = 1000;
const REDIS_PORT = 6379;

/** The provider's API, and the STS endpoint a web identity is exchanged at. */
function upstreamPorts(p: IRProvider): number[] {
  const sts = p.aws && 'stsEndpoint' in p.aws ? [parseUpstreamUrl(p.aws.stsEndpoint).port] : [];
  return [parseUpstreamUrl(p.baseUrl).port, ...sts];
}

export interface GatewayManifests {
  serviceAccount: IServiceAccount;
  /** `gateway.mjs.gz`. */
  bundle: IConfigMap;
  /** `config.json.sha256`, the index of the config's parts. */
  configIndex: IConfigMap;
  /** `config.json.part-000`, ... */
  configParts: SplitFile['parts'];
  deployment: IDeployment;
  service: ReturnType<typeof service>;
  hpa?: IHorizontalPodAutoscaler;
  pdb: ReturnType<typeof disruptionBudget>;
  networkPolicy: ReturnType<typeof networkPolicy>;
  findings: TargetFinding[];
}

/** `nodeFiles` is the node target's output (`gateway.mjs`, `config.json`), mounted at /etc/modelgate (the bundle gzipped). */
export function gatewayManifests(ir: IR, nodeFiles: Record<string, string>, pieces?: PieceCache): GatewayManifests {
  const k8s = ir.gateway.kubernetes;
  const gatewayRef = `Gateway/${ir.gateway.name}`;
  const findings: TargetFinding[] = [];
  const configMap = (name: string, content: Pick<IConfigMap, 'data' | 'binaryData'>): IConfigMap => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: metadata(ir, 'gateway', name),
    ...content,
  });
  const gzipped = gzipBundle(nodeFiles['gateway.mjs']!, pieces);
  const bundle = configMap(NAME, { binaryData: { [BUNDLE_KEY]: gzipped.base64 } });
  const config = splitIntoConfigMaps(nodeFiles['config.json']!, {
    file: 'config.json',
    prefix: `${NAME}-config`,
    metadata: (name) => metadata(ir, 'gateway', name),
  });
  const configIndex = configMap(`${NAME}-config`, { data: { [config.indexKey]: config.index } });
  const wiring = credentialWiring(ir);

  const usagePath = ir.gateway.logging.usage.path;
  const writable: { volume: IVolume; mount: IVolumeMount }[] = [
    { volume: { name: 'tmp', emptyDir: {} }, mount: { name: 'tmp', mountPath: '/tmp' } },
    // The root filesystem is read-only: a usage log file needs a writable directory of its own.
    ...(ir.gateway.logging.usage.enabled && usagePath.startsWith('/')
      ? [{ volume: { name: 'usage-log', emptyDir: {} }, mount: { name: 'usage-log', mountPath: path.posix.dirname(usagePath) } }]
      : []),
  ];

  const podMounts = [{ name: 'config', mountPath: CONFIG_DIR, readOnly: true }, ...writable.map((w) => w.mount)];
  for (const { file, mount } of misplacedSecretFiles(ir, podMounts)) {
    findings.push({
      ruleId: 'target-invalid',
      severity: 'error',
      resource: gatewayRef,
      path: ['spec', 'kubernetes'],
      message: `the secret file ${file} would be mounted ${path.posix.dirname(file) === mount ? 'on' : 'inside'} ${mount}, which the gateway pod already mounts (${mount === CONFIG_DIR ? 'its config, read-only' : 'a writable directory'}): Kubernetes would refuse the pod`,
      hint: 'Read it from a directory of its own, such as /run/secrets/<name>/',
    });
  }

  const autoscale = k8s.autoscaling.enabled;
  if (autoscale && k8s.autoscaling.maxReplicas < k8s.replicas) {
    findings.push({
      ruleId: 'target-invalid',
      severity: 'error',
      resource: gatewayRef,
      path: ['spec', 'kubernetes', 'autoscaling', 'maxReplicas'],
      message: `autoscaling.maxReplicas (${k8s.autoscaling.maxReplicas}) is below replicas (${k8s.replicas}), the autoscaler's minimum`,
    });
  }
  if (autoscale && !k8s.resources.requests.cpu) {
    findings.push({
      ruleId: 'target-invalid',
      severity: 'warning',
      resource: gatewayRef,
      path: ['spec', 'kubernetes', 'resources'],
      message: 'the autoscaler scales on CPU utilisation, which Kubernetes computes from the CPU request: set resources.requests.cpu',
    });
  }

  const deployment: IDeployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(ir, 'gateway', NAME),
    spec: {
      // With an autoscaler the replica count is its business; a fixed one here would fight it on every apply.
      ...(autoscale ? {} : { replicas: k8s.replicas }),
      revisionHistoryLimit: 5,
      selector: { matchLabels: selectorLabels(ir, 'gateway') },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: {
          labels: metadata(ir, 'gateway', NAME).labels,
          // Pods roll when the bundle or any part of the config changes (the index holds the parts' hashes).
          annotations: { 'checksum/config': sha256Hex(stableJson({ 'gateway.mjs': gzipped.sha256, ...configIndex.data })) },
        },
        spec: {
          serviceAccountName: NAME,
          automountServiceAccountToken: false,
          securityContext: podSecurity(NODE_UID),
          // The gateway drains for up to 25 s on SIGTERM.
          terminationGracePeriodSeconds: 30,
          containers: [
            {
              name: 'gateway',
              image: k8s.image,
              imagePullPolicy: 'IfNotPresent',
              command: startCommand({
                dir: CONFIG_DIR,
                sha256: gzipped.sha256,
                configMap: NAME,
                nodeFlags: GATEWAY_NODE_FLAGS,
                args: ['--config', CONFIG_DIR, '--host', '0.0.0.0'],
              }),
              ports: [{ name: 'http', containerPort: ir.gateway.listen.port, protocol: 'TCP' }],
              env: wiring.env,
              resources: k8s.resources,
              readinessProbe: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 5, failureThreshold: 3 },
              livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10, failureThreshold: 3 },
              securityContext: CONTAINER_SECURITY,
              volumeMounts: [...podMounts, ...wiring.mounts],
            },
          ],
          volumes: [
            // One directory to read and watch. The kubelet swaps its files together (`..data`), but may do so before it
            // has seen every ConfigMap's update: the index tells the gateway so.
            {
              name: 'config',
              projected: {
                sources: [bundle, configIndex, ...config.parts.map((p) => p.configMap)].map((c) => ({
                  configMap: { name: c.metadata!.name! },
                })),
              },
            },
            ...writable.map((w) => w.volume),
            ...wiring.volumes,
          ],
        },
      },
    },
  };

  const hpa: IHorizontalPodAutoscaler | undefined = autoscale
    ? {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: metadata(ir, 'gateway', NAME),
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: NAME },
          minReplicas: k8s.replicas,
          maxReplicas: k8s.autoscaling.maxReplicas,
          metrics: [
            {
              type: 'Resource',
              resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: k8s.autoscaling.targetCPUUtilization } },
            },
          ],
        },
      }
    : undefined;

  const redis = Object.values(ir.gateway.stores).some((s) => s?.type === 'redis');
  return {
    serviceAccount: {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: metadata(ir, 'gateway', NAME),
      automountServiceAccountToken: false,
    },
    bundle,
    configIndex,
    configParts: config.parts,
    deployment,
    service: service(ir, 'gateway', NAME, ir.gateway.listen.port),
    ...(hpa ? { hpa } : {}),
    pdb: disruptionBudget(ir, 'gateway', NAME),
    networkPolicy: networkPolicy(ir, 'gateway', NAME, {
      // Open to any peer on the serving port: clients or Envoy, and Prometheus for the metrics.
      ingressPort: ir.gateway.listen.port,
      // The Redis URL is a secret reference, so its port is not known here: the standard one is assumed.
      egressPorts: [
        ...ir.providers.flatMap(upstreamPorts),
        ...(ir.mcpServers ?? []).map((s) => parseUpstreamUrl(s.url).port),
        ...(ir.guardrails ?? []).flatMap((g) => guardrailUrls(g).map((url) => parseUpstreamUrl(url).port)),
        ...(redis ? [REDIS_PORT] : []),
        ...(ir.gateway.telemetry ? [parseUpstreamUrl(ir.gateway.telemetry.otlp.endpoint).port] : []),
      ],
    }),
    findings,
  };
}
