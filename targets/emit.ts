// What every target shares: byte-stable YAML, names that Kubernetes and Envoy accept, upstream URLs, durations.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { piece, type PieceCache } from './target.ts';
import { emitYaml, YAML_OPTIONS } from './yaml-emit.ts';

/** yaml, loaded only for what the direct writer leaves to it (rare): the worker thread building targets never loads it. */
const load = createRequire(import.meta.url);
const stringify = (doc: unknown): string => (load('yaml') as typeof import('yaml')).stringify(doc, YAML_OPTIONS);

/**
 * Sorted keys, no anchors, no line folding. Quoting follows YAML 1.1, whose readers (Kubernetes' sigs.k8s.io/yaml,
 * Envoy's yaml-cpp) take `on`, `no`, `12:30` and `0755` for booleans and numbers when left bare.
 */
export function toYaml(doc: unknown): string {
  return emitYaml(doc) ?? stringify(doc);
}

/** Several documents in one file, separated by `---`; with `pieces`, each document is a piece. */
export function toYamlStream(docs: readonly unknown[], pieces?: PieceCache): string {
  return docs.map((doc) => piece(pieces, 'yaml-document', doc, () => toYaml(doc))).join('---\n');
}

/** JSON with keys sorted at every level, so that equal values give equal bytes; `indent` spaces a level when given. */
export function stableJson(value: unknown, indent?: number): string {
  return JSON.stringify(sortKeys(value), null, indent);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    // Assigned one by one, not through an array of entries per object (config.json copies the whole IR).
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = sortKeys((value as Record<string, unknown>)[key]);
      // `__proto__` is data here (a label's key, say), as it is to Object.fromEntries: not the prototype.
      if (key === '__proto__') Object.defineProperty(sorted, key, { value: v, enumerable: true, writable: true, configurable: true });
      else sorted[key] = v;
    }
    return sorted;
  }
  return value;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A DNS-1123 label (Kubernetes object names, Envoy stat-friendly names) from free-form parts such as
 * `meta-llama/Llama-3.1-8B-Instruct`. When characters had to be replaced or the result cut, a short hash of the
 * original keeps distinct inputs distinct.
 */
export function dnsLabel(...parts: string[]): string {
  const raw = parts.join('-');
  const clean = raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  if (clean === raw && clean.length <= 63) return clean;
  const suffix = sha256Hex(raw).slice(0, 6);
  return `${clean.slice(0, 63 - suffix.length - 1).replace(/-$/, '')}-${suffix}`;
}

export interface UpstreamUrl {
  https: boolean;
  host: string;
  port: number;
  /** Path of the base URL without a trailing slash (`/v1`), or ''. */
  basePath: string;
  /** The host is an IP literal, so no DNS lookup and no SNI. */
  isIp: boolean;
}

export function parseUpstreamUrl(baseUrl: string): UpstreamUrl {
  const url = new URL(baseUrl);
  const https = url.protocol === 'https:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return {
    https,
    host,
    port: url.port ? Number(url.port) : https ? 443 : 80,
    basePath: url.pathname.replace(/\/+$/, ''),
    isIp: /^[\d.]+$/.test(host) || host.includes(':'),
  };
}

/** Protobuf JSON duration (`0.2s`, `60s`). */
export function protoDuration(ms: number): string {
  return `${ms / 1000}s`;
}

/** Gateway API duration (`1m30s`, `200ms`): at most 5 digits per unit, so large values are split into units. */
export function gatewayDuration(ms: number): string {
  const units: [string, number][] = [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ];
  let rest = ms;
  let out = '';
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) out += `${n}${unit}`;
  }
  return out || '0s';
}

/** Same default as the Node runtime's Azure adapter (checked by a test). */
export const DEFAULT_AZURE_API_VERSION = '2024-10-21';

/** Kubernetes Service of the Node gateways, and the Envoy cluster that reaches them. */
export const GATEWAY_SERVICE = 'modelgate-gateway';
/** Envoy's config directory: `envoy.yaml` and the `sds/` files it references. */
export const ENVOY_CONFIG_DIR = '/etc/envoy';
/** Where Envoy reads one provider's credential: a file holding the whole header value. */
export const envoyCredentialDir = (provider: string): string => `/etc/modelgate/secrets/${provider}`;
/** Where Envoy reads its listener certificate in front mode (the layout of a `kubernetes.io/tls` Secret). */
export const ENVOY_TLS_DIR = '/etc/modelgate/tls';
