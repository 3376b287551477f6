// Envoy next to the gateways: the envoy target's files mounted at /etc/envoy, `envoy.yaml` split over numbered
// ConfigMaps (a large bootstrap is over Kubernetes' 1 MiB object limit) and put back together in /tmp by the
// container's shell, after `sha256sum -c` has checked that the parts belong together; credential and TLS files
// from user-managed Secrets, one volume per directory Envoy watches for rotation.
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import type { IR } from '../../compiler/ir/types.ts';
import { ENVOY_CONFIG_DIR, ENVOY_TLS_DIR, envoyCredentialDir, parseUpstreamUrl, sha256Hex, stableJson } from '../emit.ts';
import type { EnvoyConfig } from '../envoy/index.ts';
import { writeManifest, type WrittenManifest } from './manifest.ts';
import { splitIntoConfigMaps } from './parts.ts';
import { CONTAINER_SECURITY, disruptionBudget, metadata, networkPolicy, podSecurity, selectorLabels, service } from './objects.ts';

const NAME = 'modelgate-envoy';
/** Keys: provider names; values: the whole header value (`Bearer sk-...`, or the bare key for Azure). */
export const ENVOY_CREDENTIALS_SECRET = 'modelgate-envoy-credentials';
/** A `kubernetes.io/tls` Secret for the listener in front mode. */
export const ENVOY_TLS_SECRET = 'modelgate-envoy-tls';
/** The `envoy` user of the official Envoy images. */
const ENVOY_UID = 101;

/** ConfigMap keys cannot hold `/`: `sds/x.yaml` is stored as `sds.x.yaml` and mounted back at its path. */
const configKey = (file: string) => file.replaceAll('/', '.');
const BOOTSTRAP = 'envoy.yaml';
/** Where the start script writes the bootstrap put back together (an emptyDir). */
const ASSEMBLED = `/tmp/${BOOTSTRAP}`;

/** Refuses parts that do not match the index (exit 1: the kubelet restarts the container), concatenates the rest. */
const startScript = (index: string) =>
  [
    'set -e',
    `cd ${ENVOY_CONFIG_DIR}`,
    `sha256sum -c ${index} > /dev/null || { echo "modelgate: the ${BOOTSTRAP} parts in ${ENVOY_CONFIG_DIR} do not match ${index}: the set is incomplete or mixes two builds" >&2; exit 1; }`,
    `while read -r _ part; do cat "$part"; done < ${index} > ${ASSEMBLED}`,
    `exec envoy -c ${ASSEMBLED}`,
  ].join('\n');

/** The run's shared key of `envoyConfigParts`: a worker that builds envoy makes them right after it. */
export const ENVOY_CONFIG_PARTS_KEY = 'k8s:envoy-config-parts';

/** `envoy.yaml` split over numbered ConfigMaps, written out (half of what k8s does with the envoy target's files). */
export interface EnvoyConfigParts {
  indexKey: string;
  index: string;
  parts: { name: string; manifest: WrittenManifest }[];
}

/** `files` is the envoy target's output. */
export function envoyConfigParts(ir: IR, files: Record<string, string>): EnvoyConfigParts {
  const split = splitIntoConfigMaps(files[BOOTSTRAP]!, {
    file: BOOTSTRAP,
    prefix: `${NAME}-config`,
    metadata: (name) => metadata(ir, 'envoy', name),
  });
  return {
    indexKey: split.indexKey,
    index: split.index,
    parts: split.parts.map((p) => ({
      name: p.configMap.metadata!.name!,
      manifest: writeManifest(`envoy-configmap-config-${p.number}.yaml`, p.configMap),
    })),
  };
}

/** `files` is the envoy target's output, `bootstrap` its `envoyConfigParts`, `credentials` the files its config reads them from. */
export function envoyManifests(
  ir: IR,
  files: Record<string, string>,
  bootstrap: EnvoyConfigParts,
  credentials: EnvoyConfig['credentials'],
) {
  const front = ir.gateway.envoy.mode === 'front';
  const others = Object.keys(files).filter((file) => file !== BOOTSTRAP);
  const data = Object.fromEntries([[bootstrap.indexKey, bootstrap.index], ...others.map((file) => [configKey(file), files[file]!])]);
  const configMap: IConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: metadata(ir, 'envoy', NAME), data };

  const secretVolumes: { volume: IVolume; mount: IVolumeMount }[] = [
    ...credentials.map((c) => ({
      volume: {
        name: `credential-${c.provider}`,
        secret: { secretName: ENVOY_CREDENTIALS_SECRET, items: [{ key: c.provider, path: 'credential' }] },
      },
      mount: { name: `credential-${c.provider}`, mountPath: envoyCredentialDir(c.provider), readOnly: true },
    })),
    ...(front
      ? [
          {
            volume: { name: 'tls', secret: { secretName: ENVOY_TLS_SECRET } },
            mount: { name: 'tls', mountPath: ENVOY_TLS_DIR, readOnly: true },
          },
        ]
      : []),
  ];

  const deployment: IDeployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: metadata(ir, 'envoy', NAME),
    spec: {
      replicas: ir.gateway.kubernetes.replicas,
      revisionHistoryLimit: 5,
      selector: { matchLabels: selectorLabels(ir, 'envoy') },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        // The index holds the parts' hashes: pods roll when any part changes.
        metadata: { labels: metadata(ir, 'envoy', NAME).labels, annotations: { 'checksum/config': sha256Hex(stableJson(data)) } },
        spec: {
          automountServiceAccountToken: false,
          securityContext: podSecurity(ENVOY_UID),
          containers: [
            {
              name: 'envoy',
              image: ir.gateway.envoy.image,
              imagePullPolicy: 'IfNotPresent',
              command: ['sh', '-c', startScript(bootstrap.indexKey)],
              ports: [{ name: 'http', containerPort: ir.gateway.envoy.port, protocol: 'TCP' }],
              // The admin interface (and its /ready) listens on localhost only, out of the kubelet's reach.
              readinessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 5 },
              livenessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 10 },
              securityContext: CONTAINER_SECURITY,
              volumeMounts: [
                { name: 'config', mountPath: ENVOY_CONFIG_DIR, readOnly: true },
                { name: 'tmp', mountPath: '/tmp' },
                ...secretVolumes.map((s) => s.mount),
              ],
            },
          ],
          volumes: [
            {
              name: 'config',
              projected: {
                sources: [
                  {
                    configMap: {
                      name: NAME,
                      items: [bootstrap.indexKey, ...others].sort().map((file) => ({ key: configKey(file), path: file })),
                    },
                  },
                  ...bootstrap.parts.map((p) => ({ configMap: { name: p.name } })),
                ],
              },
            },
            { name: 'tmp', emptyDir: {} },
            ...secretVolumes.map((s) => s.volume),
          ],
        },
      },
    },
  };

  const gatewayPeer = { peer: { podSelector: { matchLabels: selectorLabels(ir, 'gateway') } }, port: ir.gateway.listen.port };
  return {
    configMap,
    configParts: bootstrap.parts.map((p) => p.manifest),
    deployment,
    service: service(ir, 'envoy', NAME, ir.gateway.envoy.port),
    pdb: disruptionBudget(ir, 'envoy', NAME),
    networkPolicy: networkPolicy(ir, 'envoy', NAME, {
      ingressPort: ir.gateway.envoy.port,
      egressPorts: front ? [] : ir.providers.map((p) => parseUpstreamUrl(p.baseUrl).port),
      egressPeers: [gatewayPeer],
    }),
  };
}
