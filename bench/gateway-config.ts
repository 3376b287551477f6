// The config repo the gateway benchmark builds with `modelgate build --target node`: an OpenAI-type and an
// Anthropic-type provider at the mock upstream (which speaks both), a route on each, one API-key consumer, an access policy whose rate limit is far
// above what the bench can send, metrics and usage logs on. fixtures/acme is not used: its prod routes
// split traffic to Anthropic and it needs a known key and port, while this measures the features the issue
// names, on the mock's wire formats only.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { API_VERSION } from '../schema/kinds.ts';
import type * as T from '../schema/types.ts';

/** TEST-ONLY key of the bench consumer; its hash is in the generated config. */
export const BENCH_API_KEY = 'mg-bench-key-0001';
/** The route backed by the OpenAI-type provider, and the one backed by the Anthropic-type provider. */
export const BENCH_ROUTE = 'bench-chat';
export const BENCH_ANTHROPIC_ROUTE = 'bench-claude';
/** The route on the OpenAI-type provider with `BENCH_GUARDRAILS` (written with `guardrails: true`). */
export const BENCH_GUARDED_ROUTE = 'bench-guarded';
/** Environment variables the built gateway reads its secret references from. */
export const UPSTREAM_KEY_ENV = 'BENCH_UPSTREAM_KEY';
export const REDIS_URL_ENV = 'BENCH_REDIS_URL';

export interface GatewayConfigOptions {
  upstreamPort: number;
  /** Rate-limit counters in Redis (shared by replicas) instead of memory. */
  redis: boolean;
  usageLogPath: string;
  /** Where to export traces (bench/tracing.ts); no tracing when unset. */
  otlp?: T.OtlpTraces;
  /** Adds `BENCH_GUARDRAILS` and `BENCH_GUARDED_ROUTE` (bench/streams.ts). */
  guardrails?: boolean;
}

const labels = { owner: 'bench', team: 'platform' };

const guardrail = (name: string, check: T.GuardrailSpec['check']): T.Guardrail => ({
  apiVersion: API_VERSION,
  kind: 'Guardrail',
  metadata: { name, labels },
  spec: { stage: 'both', action: 'flag', check },
});

/**
 * The guardrail benches' three built-in guardrails: on requests and answers, all `flag`, so that every text is
 * scanned and every request passes.
 */
export const BENCH_GUARDRAILS: readonly T.Guardrail[] = [
  guardrail('pii', { pii: { detectors: ['email', 'phone', 'card', 'iban', 'ipv4'] } }),
  guardrail('secrets', { secrets: {} }),
  guardrail('topics', { deniedTopics: { words: ['project phoenix', 'merger', 'layoffs'] } }),
];

export function writeGatewayConfig(dir: string, options: GatewayConfigOptions): void {
  const store: T.Store = options.redis ? { type: 'redis', url: `env:${REDIS_URL_ENV}` } : { type: 'memory' };
  const provider = (name: string, type: 'openai' | 'anthropic', model: string): T.Provider => ({
    apiVersion: API_VERSION,
    kind: 'Provider',
    metadata: { name, labels },
    spec: {
      type,
      baseUrl: `http://127.0.0.1:${options.upstreamPort}/v1`,
      credential: `env:${UPSTREAM_KEY_ENV}`,
      timeout: '30s',
      retries: 0,
      models: [{ name: model, inputPricePer1M: 0.15, outputPricePer1M: 0.6 }],
    },
  });
  const route = (name: string, provider: string, model: string, guardrails?: string[]): T.Route => ({
    apiVersion: API_VERSION,
    kind: 'Route',
    metadata: { name, labels },
    spec: {
      targets: [{ provider, model, weight: 100 }],
      fallbacks: [{ provider: `${provider}-fallback`, model }],
      timeout: '30s',
      ...(guardrails ? { guardrails } : {}),
    },
  });
  const guarded = options.guardrails
    ? [
        route(
          BENCH_GUARDED_ROUTE,
          'mock',
          'gpt-4o-mini',
          BENCH_GUARDRAILS.map((g) => g.metadata.name),
        ),
      ]
    : [];
  const docs: Record<string, unknown[]> = {
    'gateway.yaml': [
      {
        apiVersion: API_VERSION,
        kind: 'Gateway',
        metadata: { name: 'bench', labels },
        spec: {
          // The port is given at start-up (`--port`).
          listen: { host: '127.0.0.1' },
          stores: { limits: store, cache: { type: 'memory' } },
          logging: { level: 'warn', usage: { enabled: true, path: options.usageLogPath } },
          metrics: { enabled: true, path: '/metrics' },
          ...(options.otlp ? { telemetry: { otlp: options.otlp } } : {}),
          // In-memory counters are only right for a single replica (prod-shared-limit-store).
          ...(options.redis ? {} : { kubernetes: { replicas: 1, autoscaling: { enabled: false } } }),
        },
      } satisfies T.Gateway,
    ],
    // The fallback provider is the same mock: a production route without a fallback is a lint error.
    'providers.yaml': [
      provider('mock', 'openai', 'gpt-4o-mini'),
      provider('mock-fallback', 'openai', 'gpt-4o-mini'),
      provider('mock-anthropic', 'anthropic', 'claude-bench'),
      provider('mock-anthropic-fallback', 'anthropic', 'claude-bench'),
    ],
    'route.yaml': [route(BENCH_ROUTE, 'mock', 'gpt-4o-mini'), route(BENCH_ANTHROPIC_ROUTE, 'mock-anthropic', 'claude-bench'), ...guarded],
    ...(options.guardrails ? { 'guardrails.yaml': [...BENCH_GUARDRAILS] } : {}),
    'access.yaml': [
      {
        apiVersion: API_VERSION,
        kind: 'Consumer',
        metadata: { name: 'bench-client', labels },
        spec: { apiKeys: [{ id: 'bench-1', sha256: createHash('sha256').update(BENCH_API_KEY).digest('hex') }] },
      } satisfies T.Consumer,
      {
        apiVersion: API_VERSION,
        kind: 'AccessPolicy',
        metadata: { name: 'bench-client', labels },
        spec: {
          subjects: { consumers: ['bench-client'] },
          routes: [BENCH_ROUTE, BENCH_ANTHROPIC_ROUTE, ...guarded.map((r) => r.metadata.name)],
          limits: { requestsPerMinute: 1_000_000_000, tokensPerMinute: 1_000_000_000_000, monthlyBudgetUsd: 1_000_000_000 },
        },
      } satisfies T.AccessPolicy,
    ],
    'environments.yaml': [
      {
        apiVersion: API_VERSION,
        kind: 'Environment',
        metadata: { name: 'prod', labels },
        spec: { tier: 'production' },
      } satisfies T.Environment,
    ],
  };
  mkdirSync(dir, { recursive: true });
  for (const [file, list] of Object.entries(docs)) writeFileSync(join(dir, file), list.map((d) => stringify(d)).join('---\n'));
}
