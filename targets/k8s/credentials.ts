// How the config's secret references reach the gateway pod: environment variables from `secretKeyRef`s, or files
// from Secret volumes; and the pod's own service account token where a Bedrock provider uses a web identity. The
// Secrets themselves are the user's; nothing here holds a value.
import path from 'node:path';
import type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
import { credentialsSecretKey, secretEnvName } from '../../kernel/secret-env.ts';
import { guardrailCredential } from '../../compiler/ir/guardrails.ts';
import type { IR, IRProvider, SecretRef } from '../../compiler/ir/types.ts';
import { dnsLabel } from '../emit.ts';

/** The Secret that `env:NAME` and `file:/path` references are read from (keys: `name` lower-cased, file name). */
export const CREDENTIALS_SECRET = 'modelgate-credentials';
/** The audience AWS STS expects of a web identity token. */
const STS_AUDIENCE = 'sts.amazonaws.com';
/** The kubelet renews a projected token at 80 % of its lifetime; the gateway reads it again at each STS exchange. */
const TOKEN_SECONDS = 3600;

export interface Wiring {
  env: IEnvVar[];
  volumes: IVolume[];
  mounts: IVolumeMount[];
}

export function secretRefs(ir: IR): SecretRef[] {
  const stores = Object.values(ir.gateway.stores).flatMap((s) => (s?.type === 'redis' ? [s.url] : []));
  return [
    ...ir.providers.flatMap((p) => (p.credential ? [p.credential] : [])),
    ...ir.providers.flatMap(awsKeys),
    ...(ir.mcpServers ?? []).flatMap((s) => (s.credential ? [s.credential] : [])),
    ...(ir.guardrails ?? []).flatMap((g) => guardrailCredential(g) ?? []),
    ...stores,
    ...ir.gateway.auth.jwt.flatMap((j) => (j.secret ? [j.secret] : [])),
    ...Object.values(ir.gateway.telemetry?.otlp.headers ?? {}),
    ...(ir.gateway.mcp.sessionKey ? [ir.gateway.mcp.sessionKey] : []),
  ];
}

function awsKeys(p: IRProvider): SecretRef[] {
  if (!p.aws || !('accessKeyId' in p.aws)) return [];
  return [p.aws.accessKeyId, p.aws.secretAccessKey, ...(p.aws.sessionToken ? [p.aws.sessionToken] : [])];
}

/** Files dir -> names: the `file:` references, and the web identity token files (projected, not from a Secret). */
type FilesByDir = Map<string, Set<string>>;
const addFile = (files: FilesByDir, file: string, key = path.posix.basename(file)) =>
  files.set(path.posix.dirname(file), (files.get(path.posix.dirname(file)) ?? new Set()).add(key));

/**
 * `k8s:secret/key` -> that Secret's key, as the variable the runtime reads (`secretEnvName`); `env:NAME` -> key
 * `name` of `modelgate-credentials`; `file:/dir/key` -> key `key` of `modelgate-credentials`, mounted in `/dir`.
 * A web identity token file is the pod's service account token for STS, projected where the config says.
 */
export function credentialWiring(ir: IR): Wiring {
  const env = new Map<string, IEnvVar>();
  const files: FilesByDir = new Map();
  for (const ref of secretRefs(ir)) {
    const name = secretEnvName(ref);
    if (ref.source === 'k8s') env.set(name!, { name: name!, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key! } } });
    else if (ref.source === 'env')
      env.set(name!, { name: name!, valueFrom: { secretKeyRef: { name: CREDENTIALS_SECRET, key: credentialsSecretKey(ref)! } } });
    else addFile(files, ref.name, credentialsSecretKey(ref));
  }
  const tokens: FilesByDir = new Map();
  for (const file of tokenFiles(ir)) addFile(tokens, file);
  const dirs = [...new Set([...files.keys(), ...tokens.keys()])].sort();
  const volumes = dirs.map((dir) => volume(dir, files.get(dir), tokens.get(dir)));
  return {
    env: [...env.values()].sort((a, b) => (a.name < b.name ? -1 : 1)),
    volumes,
    mounts: dirs.map((dir, i) => ({ name: volumes[i]!.name, mountPath: dir, readOnly: true })),
  };
}

const tokenFiles = (ir: IR): string[] =>
  ir.providers.flatMap((p) => (p.aws && 'webIdentityTokenFile' in p.aws ? [p.aws.webIdentityTokenFile] : []));

/**
 * The secret files (`file:` references, web identity tokens) whose directory would be mounted where the pod already
 * mounts a volume, which Kubernetes refuses, or inside a read-only one, where the kubelet cannot make the mount point.
 */
export function misplacedSecretFiles(ir: IR, mounts: readonly IVolumeMount[]): { file: string; mount: string }[] {
  const files = [...secretRefs(ir).flatMap((r) => (r.source === 'file' ? [r.name] : [])), ...tokenFiles(ir)];
  return [...new Set(files)].sort().flatMap((file) => {
    const dir = path.posix.dirname(file);
    const clash = mounts.find((m) => dir === m.mountPath || (m.readOnly && dir.startsWith(`${m.mountPath}/`)));
    return clash ? [{ file, mount: clash.mountPath }] : [];
  });
}

/** A Secret volume; a projected one when the directory holds a token (one directory, one mount). */
function volume(dir: string, keys: Set<string> | undefined, tokens: Set<string> | undefined): IVolume {
  const items = [...(keys ?? [])].sort().map((key) => ({ key, path: key }));
  if (!tokens) return { name: dnsLabel('secret', dir), secret: { secretName: CREDENTIALS_SECRET, items } };
  const serviceAccountTokens = [...tokens]
    .sort()
    .map((file) => ({ serviceAccountToken: { audience: STS_AUDIENCE, expirationSeconds: TOKEN_SECONDS, path: file } }));
  return {
    name: dnsLabel('token', dir),
    projected: { sources: [...(items.length ? [{ secret: { name: CREDENTIALS_SECRET, items } }] : []), ...serviceAccountTokens] },
  };
}
