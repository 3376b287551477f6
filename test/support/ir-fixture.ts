// Hand-made IR pieces for runtime tests, with the defaults the IR builder fills in.
import type { IR, IRAccessPolicy, IRConsumer, IRGateway, IRRoute } from '../../compiler/ir/types.ts';

export function testGateway(overrides: Partial<IRGateway> = {}): IRGateway {
  return {
    name: 'test',
    listen: { host: '127.0.0.1', port: 0 },
    limits: { maxBodyBytes: 1_048_576, maxResponseBytes: 67_108_864, requestTimeoutMs: 120_000, headersTimeoutMs: 10_000 },
    auth: { jwt: [] },
    stores: { limits: { type: 'memory', maxEntries: 10_000 }, cache: { type: 'memory', maxEntries: 10_000 } },
    logging: { level: 'info', usage: { enabled: true, path: 'stdout', includePrompts: false } },
    metrics: { enabled: true, path: '/metrics' },
    kubernetes: {
      namespace: 'modelgate',
      image: 'node:20-alpine',
      replicas: 2,
      resources: { requests: {}, limits: {} },
      autoscaling: { enabled: true, maxReplicas: 10, targetCPUUtilization: 70 },
    },
    envoy: { mode: 'direct', port: 10000, adminPort: 9901, image: 'envoyproxy/envoy:v1.31-latest' },
    ...overrides,
  };
}

export function testIR(parts: Partial<Omit<IR, 'irVersion'>> = {}): IR {
  return {
    irVersion: 1,
    environment: { name: 'test', tier: 'testing' },
    gateway: testGateway(),
    providers: [],
    routes: [],
    prompts: [],
    consumers: [],
    accessPolicies: [],
    ...parts,
  };
}

export function testConsumer(name: string, overrides: Partial<IRConsumer> = {}): IRConsumer {
  return { name, labels: {}, apiKeys: [], ...overrides };
}

export function testRoute(name: string, overrides: Partial<IRRoute> = {}): IRRoute {
  return {
    name,
    labels: {},
    type: 'chat',
    targets: [{ provider: 'openai', model: 'gpt-4o-mini', weight: 100 }],
    fallbacks: [],
    retry: { attempts: 1, backoffMs: 200, statuses: [429, 500, 502, 503, 504], onTimeout: true, onReset: true },
    timeoutMs: 120_000,
    cache: { enabled: false, ttlMs: 300_000 },
    ...overrides,
  };
}

export function testPolicy(name: string, overrides: Partial<IRAccessPolicy> = {}): IRAccessPolicy {
  return { name, labels: {}, consumers: [], routes: [], prompts: [], limits: {}, redaction: { pii: [], patterns: [] }, ...overrides };
}
