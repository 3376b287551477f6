// The IR of Guardrails: defaults filled, the one checker of `spec.check` named by its `type`.
import { parseDuration } from '../../kernel/duration.ts';
import { parseSecretRef } from '../../kernel/secret-env.ts';
import type * as T from '../../schema/types.ts';
import { SCHEMA_DEFAULTS } from '../../schema/values.ts';
import type { IRGuardrail, IRGuardrailCheck, SecretRef } from './types.ts';

const { Guardrail: G } = SCHEMA_DEFAULTS;

export function buildGuardrail(name: string, r: T.Guardrail): IRGuardrail {
  const s = r.spec;
  return {
    name,
    labels: { ...(r.metadata.labels ?? G['metadata.labels']) } as Record<string, string>,
    stage: s.stage ?? G['spec.stage'],
    action: s.action ?? G['spec.action'],
    timeoutMs: parseDuration(s.timeout ?? G['spec.timeout']),
    onError: s.onError ?? G['spec.onError'],
    check: buildCheck(s.check),
  };
}

/** The schema admits exactly one member of `check`. */
export function buildCheck(c: T.GuardrailCheck): IRGuardrailCheck {
  if (c.pii) {
    return {
      type: 'pii',
      detectors: [...(c.pii.detectors ?? G['spec.check.pii.detectors'])],
      patterns: (c.pii.patterns ?? G['spec.check.pii.patterns']).map((p) => ({ ...p })),
    };
  }
  if (c.secrets) return { type: 'secrets' };
  if (c.deniedTopics) return { type: 'deniedTopics', words: [...c.deniedTopics.words] };
  if (c.maxSize) return { type: 'maxSize', chars: c.maxSize.chars };
  if (c.moderation) {
    const m = c.moderation;
    return {
      type: 'moderation',
      url: m.url,
      credential: m.credential ? parseSecretRef(m.credential) : null,
      ...(m.model !== undefined ? { model: m.model } : {}),
      thresholds: { ...(m.thresholds ?? G['spec.check.moderation.thresholds']) },
    };
  }
  if (c.presidio) {
    const p = c.presidio;
    return {
      type: 'presidio',
      analyzerUrl: p.analyzerUrl,
      ...(p.anonymizerUrl !== undefined ? { anonymizerUrl: p.anonymizerUrl } : {}),
      language: p.language ?? G['spec.check.presidio.language'],
      ...(p.entities ? { entities: [...p.entities] } : {}),
      scoreThreshold: p.scoreThreshold ?? G['spec.check.presidio.scoreThreshold'],
    };
  }
  const w = c.webhook!;
  return { type: 'webhook', url: w.url, credential: w.credential ? parseSecretRef(w.credential) : null };
}

/** The services a remote checker calls (the k8s target opens egress to them). */
export function guardrailUrls(g: IRGuardrail): string[] {
  const c = g.check;
  if (c.type === 'presidio') return c.anonymizerUrl ? [c.analyzerUrl, c.anonymizerUrl] : [c.analyzerUrl];
  return c.type === 'moderation' || c.type === 'webhook' ? [c.url] : [];
}

/** The credential a remote checker sends, if any (the k8s target wires it into the gateway's environment). */
export function guardrailCredential(g: IRGuardrail): SecretRef | null {
  return g.check.type === 'moderation' || g.check.type === 'webhook' ? g.check.credential : null;
}
