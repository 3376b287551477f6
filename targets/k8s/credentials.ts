// How the config's secret references reach the gateway pod: environment variables from `secretKeyRef`s, or files
// from Secret volumes. The Secrets themselves are the user's; nothing here holds a value.
import path from 'node:path';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import { secretEnvName } from '../../kernel/secret-env.ts';
import type { IR, SecretRef } from '../../compiler/ir/types.ts';
import { dnsLabel } from '../emit.ts';

/** The Secret that `env:NAME` and `file:/path` references are read from (keys: `name` lower-cased, file name). */
export const CREDENTIALS_SECRET = 'modelgate-credentials';

export interface Wiring {
  env: IEnvVar[];
  volumes: IVolume[];
  mounts: IVolumeMount[];
}

export function secretRefs(ir: IR): SecretRef[] {
  const stores = [ir.gateway.stores.limits, ir.gateway.stores.cache].flatMap((s) => (s.type === 'redis' ? [s.url] : []));
  return [
    ...ir.providers.flatMap((p) => (p.credential ? [p.credential] : [])),
    ...(ir.mcpServers ?? []).flatMap((s) => (s.credential ? [s.credential] : [])),
    ...stores,
    ...ir.gateway.auth.jwt.flatMap((j) => (j.secret ? [j.secret] : [])),
  ];
}

/**
 * `k8s:secret/key` -> that Secret's key, as the variable the runtime reads (`secretEnvName`); `env:NAME` -> key
 * `name` of `modelgate-credentials`; `file:/dir/key` -> key `key` of `modelgate-credentials`, mounted in `/dir`.
 */
export function credentialWiring(ir: IR): Wiring {
  const env = new Map<string, IEnvVar>();
  const files = new Map<string, Set<string>>();
  for (const ref of secretRefs(ir)) {
    const name = secretEnvName(ref);
    if (ref.source === 'k8s') env.set(name!, { name: name!, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key! } } });
    else if (ref.source === 'env') env.set(name!, { name: name!, valueFrom: { secretKeyRef: { name: CREDENTIALS_SECRET, key: ref.name.toLowerCase() } } });
    else files.set(path.posix.dirname(ref.name), (files.get(path.posix.dirname(ref.name)) ?? new Set()).add(path.posix.basename(ref.name)));
  }
  const dirs = [...files.keys()].sort();
  return {
    env: [...env.values()].sort((a, b) => (a.name < b.name ? -1 : 1)),
    volumes: dirs.map((dir) => ({
      name: dnsLabel('secret', dir),
      secret: { secretName: CREDENTIALS_SECRET, items: [...files.get(dir)!].sort().map((key) => ({ key, path: key })) },
    })),
    mounts: dirs.map((dir) => ({ name: dnsLabel('secret', dir), mountPath: dir, readOnly: true })),
  };
}
