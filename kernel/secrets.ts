// Recognises credentials written as literal values. Callers report the kind of secret, never its text.
import { asciiSet } from './ascii-set.ts';

interface SecretPattern {
  kind: string;
  pattern: RegExp;
}

// Anthropic before OpenAI: `sk-ant-...` also fits the looser OpenAI shape.
const PATTERNS: readonly SecretPattern[] = [
  { kind: 'Anthropic API key', pattern: /\bsk-ant-[A-Za-z0-9_-]{20,}/ },
  { kind: 'OpenAI API key', pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/ },
  { kind: 'AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { kind: 'GitLab token', pattern: /\bgl(?:pat|dt|rt|ptt|cbt|oas)-[A-Za-z0-9_-]{20,}/ },
  { kind: 'GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})/ },
  { kind: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { kind: 'private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
  { kind: 'JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
];

/** All formats in one expression: most strings are not secrets, and one scan rules them out. */
const ANY_KNOWN = new RegExp(PATTERNS.map((p) => `(?:${p.pattern.source})`).join('|'));

const ANY_KNOWN_FROM = new RegExp(ANY_KNOWN.source, 'g');

const GLOBAL_PATTERNS = PATTERNS.map((p) => ({ kind: p.kind, everywhere: new RegExp(p.pattern.source, 'g') }));

/** Field names (lower-cased, without `-_.`) whose values are credentials when they are not references. */
const CREDENTIAL_KEY = /(?:apikey|accesskey|privatekey|subscriptionkey|secret|token|password|passwd|credentials?|authorization|cookie)$/;
/** A secret reference (`env:NAME`, `file:/p`, `k8s:s/k`) or a runtime placeholder (`${{ env.X }}`): not a value. */
const REFERENCE = /^(?:env:|file:|k8s:)|\$\{\{/;
const MIN_TOKEN_LENGTH = 16;

/** Whether a field or header name (`apiKey`, `x-api-key`, `Authorization`, `client_secret` ...) holds credentials. */
export function isCredentialFieldName(name: string): boolean {
  return CREDENTIAL_KEY.test(name.toLowerCase().replace(/[-_.]/g, ''));
}

/** The kind of credential `text` contains, judged by well-known token formats alone. */
export function knownSecretKind(text: string): string | undefined {
  if (text.length < MIN_TOKEN_LENGTH || !ANY_KNOWN.test(text)) return undefined;
  return PATTERNS.find((p) => p.pattern.test(text))?.kind;
}

/**
 * Whether `text` holds a well-known credential format that reaches `from` or beyond, the text before `from` having
 * been searched already (a stream's window). Such a match is one unbroken run of token characters, or of a private
 * key's header characters, through `from`: the search starts where that run does.
 */
export function hasKnownSecretFrom(text: string, from: number): boolean {
  if (text.length < MIN_TOKEN_LENGTH) return false;
  ANY_KNOWN_FROM.lastIndex = Math.min(runStart(text, from, TOKEN_CHARS), runStart(text, from, KEY_HEADER_CHARS));
  return ANY_KNOWN_FROM.test(text);
}

/** Where the run of `chars` that holds `text[end - 1]` starts (`end` when that character is not one of them). */
function runStart(text: string, end: number, chars: Uint8Array): number {
  let at = Math.min(end, text.length);
  while (at > 0 && chars[text.charCodeAt(at - 1)] === 1) at--;
  return at;
}

const CAPITALS_AND_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** What the token formats above are made of (a JWT's dots too). */
const TOKEN_CHARS = asciiSet(`${CAPITALS_AND_DIGITS}abcdefghijklmnopqrstuvwxyz_.-`);
/** What a private key's header is made of. */
const KEY_HEADER_CHARS = asciiSet(`${CAPITALS_AND_DIGITS} -`);

/**
 * The kind of credential in a field: a well-known token format anywhere, or, in a credential-like field
 * (`password`, `apiKey`, `Authorization` ...), a random-looking token that is not a secret reference.
 */
export function secretKind(text: string, key: string | number | undefined): string | undefined {
  const known = knownSecretKind(text);
  if (known || typeof key !== 'string' || !isCredentialFieldName(key) || REFERENCE.test(text)) return known;
  // `Authorization: Bearer <token>`: judge the token, not the scheme.
  return text.split(/\s+/).some(looksRandom) ? 'high-entropy value in a credential field' : undefined;
}

/** `text` with every well-known credential format replaced by `[REDACTED <kind>]`. */
export function redactSecrets(text: string): string {
  if (!ANY_KNOWN.test(text)) return text;
  let out = text;
  for (const { kind, everywhere } of GLOBAL_PATTERNS) out = out.replace(everywhere, `[REDACTED ${kind}]`);
  return out;
}

function looksRandom(token: string): boolean {
  if (token.length < MIN_TOKEN_LENGTH) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(token)).length;
  // Hex digests carry at most 4 bits per character; mixed-case tokens near 6.
  const threshold = /^[0-9a-f]+$/i.test(token) ? 3 : 3.5;
  return classes >= 2 && shannonEntropy(token) >= threshold;
}

/** Bits per character. */
function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
