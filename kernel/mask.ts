// Defensive masking of credentials in plan output. Configs hold secret *references* only, but a plan is
// posted to a merge request, so anything shaped like a credential is masked before it leaves the process.
// Token formats and credential field names come from ./secrets.ts, so the lint rules and the mask agree.
import { isCredentialFieldName, redactSecrets } from './secrets.ts';
import type { Diagnostic } from './diagnostics.ts';

export const MASK = '[masked]';

/** Values that are references to a secret (safe, and useful in a review), not the secret itself. */
const REFERENCE = /^(env:[A-Za-z_]\w*|file:\/\S+|k8s:[-a-z0-9.]+\/[-._a-zA-Z0-9]+|\$\{\{[^}]*\}\}|\$\{[A-Za-z_]\w*\})$/;

/**
 * A whole private key block: the policies' token formats catch its first line only, and the base64 body
 * is the secret.
 */
const PRIVATE_KEY_BLOCK = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g;

/**
 * `Bearer <x>` / `Basic <x>` (a credential has a digit, unlike the prose `basic authentication`), and
 * `user:password@` in URLs: keep the scheme, hide the secret part.
 */
const SCHEME_CREDENTIAL = /\b(Bearer|Basic)\s+(?=[\w.~+/=-]*\d)[\w.~+/=-]{8,}/gi;
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi;

/**
 * `"authorization": "..."`, `x-api-key: ...`, `password=...` in JSON, YAML, env files and query strings:
 * a quoted value up to its quote, an unquoted one up to the end of the line (or `,` `}` `&`). A `:` must be
 * followed by a space or quote, as in YAML and JSON, so `https://` is not an assignment.
 */
const SENSITIVE_ASSIGNMENT =
  /(["']?)([A-Za-z][\w-]*)\1([ \t]*(?:=|:(?=[\s"']))[ \t]*)(?:"([^"\n]*)"|'([^'\n]*)'|([^\s"',{}[\]&][^\n,}&]*))/g;

export function maskText(text: string): string {
  // Provider token formats (`sk-...`, `glpat-...`, AWS keys, JWTs) are the ones the lint rules know.
  let out = redactSecrets(text.replace(PRIVATE_KEY_BLOCK, MASK));
  out = out.replace(SCHEME_CREDENTIAL, (_, scheme: string) => `${scheme} ${MASK}`);
  out = out.replace(URL_PASSWORD, (_, prefix: string) => `${prefix}${MASK}@`);
  return out.replace(SENSITIVE_ASSIGNMENT, (whole, q: string, name: string, sep: string, dq?: string, sq?: string, bare?: string) => {
    const value = (dq ?? sq ?? bare ?? '').trimEnd();
    if (!isCredentialFieldName(name) || REFERENCE.test(value) || value === MASK || value === '') return whole;
    const quote = dq !== undefined ? '"' : sq !== undefined ? "'" : '';
    return `${q}${name}${q}${sep}${quote}${MASK}${quote}`;
  });
}

/** Masks every string in a value; a value under a sensitive key is masked whole unless it is a reference. */
export function maskValue<T>(value: T, key?: string, mask: (text: string) => string = maskText): T {
  if (typeof value === 'string') {
    if (key !== undefined && isCredentialFieldName(key) && !REFERENCE.test(value)) return MASK as T;
    return mask(value) as T;
  }
  if (Array.isArray(value)) return value.map((v) => maskValue(v, undefined, mask)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskValue(v, k, mask)])) as T;
  }
  return value;
}

/** A finding with every text masked: messages quote what the user wrote, a planted credential included. */
export function maskDiagnostic(d: Diagnostic): Diagnostic {
  return maskValue(d);
}

/**
 * `maskDiagnostic` for the findings of one report, remembering what each text masked to: they repeat their files,
 * rule ids, hints and often messages (200,000 duplicate keys took two seconds to mask one by one).
 */
export function reportMask(): (d: Diagnostic) => Diagnostic {
  const masked = new Map<string, string>();
  const mask = (text: string) => {
    let out = masked.get(text);
    if (out === undefined) masked.set(text, (out = maskText(text)));
    return out;
  };
  return (d) => maskValue(d, undefined, mask);
}
