// How a secret reference reaches a process as an environment variable. The Node runtime reads credentials
// by this name and the k8s target wires `secretKeyRef`s to the same name, so the two must share this rule.
import type { SecretRef } from './types.ts';

/** `env:NAME` -> NAME; `k8s:llm-keys/openai` -> MODELGATE_SECRET_LLM_KEYS_OPENAI; `file:` refs have none. */
export function secretEnvName(ref: SecretRef): string | undefined {
  if (ref.source === 'env') return ref.name;
  if (ref.source === 'k8s') return `MODELGATE_SECRET_${ref.name}_${ref.key ?? ''}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
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
