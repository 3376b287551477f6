// How a secret reference reaches a process as an environment variable. The Node runtime reads credentials
// by this name and the k8s target wires `secretKeyRef`s to the same name, so the two must share this rule.

export interface SecretRef {
  /** As written in the config, e.g. `env:OPENAI_API_KEY`. Safe to print: it is a reference, not a value. */
  ref: string;
  source: 'env' | 'file' | 'k8s';
  /** Env var name, absolute file path, or Kubernetes Secret name. */
  name: string;
  /** Key within the Kubernetes Secret (`k8s` only). */
  key?: string;
}

/** `env:NAME` -> NAME; `k8s:llm-keys/openai` -> MODELGATE_SECRET_LLM_KEYS_OPENAI; `file:` refs have none. */
export function secretEnvName(ref: SecretRef): string | undefined {
  if (ref.source === 'env') return ref.name;
  if (ref.source === 'k8s') return `MODELGATE_SECRET_${ref.name}_${ref.key ?? ''}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  return undefined;
}

/**
 * The key of the k8s target's `modelgate-credentials` Secret that `env:` and `file:` references are read from:
 * `env:NAME` -> `name` lower-cased, `file:/dir/key` -> `key`; `k8s:` references name their own Secret.
 */
export function credentialsSecretKey(ref: SecretRef): string | undefined {
  if (ref.source === 'env') return ref.name.toLowerCase();
  if (ref.source === 'file') return ref.name.slice(ref.name.lastIndexOf('/') + 1);
  return undefined;
}

/** Parses `env:NAME`, `file:/path` or `k8s:secret/key` (already checked by the schema's pattern). */
export function parseSecretRef(ref: string): SecretRef {
  const colon = ref.indexOf(':');
  const source = ref.slice(0, colon) as SecretRef['source'];
  const rest = ref.slice(colon + 1);
  if (source === 'k8s') {
    const slash = rest.indexOf('/');
    return { ref, source, name: rest.slice(0, slash), key: rest.slice(slash + 1) };
  }
  return { ref, source, name: rest };
}
